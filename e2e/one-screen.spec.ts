import type { Locator, Page } from "@playwright/test";
import { expectNoSeriousAxeViolations, tabTo } from "./a11y";
import { exampleA, expect, type ImportOrderBody, test } from "./fixtures";

// Issue 15, point 1: one screen. The steppers are in the lines table, a summary with the total,
// the approval state, where the money goes and Review stays in view; the choice lives in the URL.

/** Six lines with realistic, long product names (one partly shipped), under the agent's limit. */
function sixLines(unique: string): ImportOrderBody {
  const names = [
    "Merino crew-neck sweater, heather grey, L",
    "Organic cotton T-shirt, white, M (3-pack)",
    "Slim-fit chinos, stone, 32/32",
    "Leather belt, brown, 90 cm",
    "Wool-blend socks, charcoal (5 pairs)",
    "Waterproof rain jacket, navy, XL",
  ];
  return {
    channel: "web",
    externalId: `E2E-SIX-${unique}`,
    storeId: "STORE-001",
    currency: "USD",
    customer: { id: `CUST-${unique}`, name: `Sixten Lines ${unique}`, email: `six.${unique.toLowerCase()}@example.com` },
    lines: names.map((description, i) => ({
      lineId: String(i + 1),
      sku: `SKU-SIX-${i + 1}`,
      description,
      quantity: 2,
      unitPrice: "10.00",
      discount: "0.00",
      tax: "0.00",
      shipped: i === 2 ? 1 : 0,
    })),
    shipping: { amount: "5.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_${unique}`, authorized: "125.00", captured: "0.00", brand: "visa", last4: "4242" }],
  };
}

const stepperFor = (page: Page, line: string) => page.getByRole("spinbutton", { name: `Quantity to cancel, ${line}` });

async function openOrder(page: Page, orderId: string, externalId: string) {
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${externalId}` })).toBeVisible();
}

async function expectInViewport(page: Page, target: Locator) {
  const box = await target.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${target} has no box`).not.toBeNull();
  expect(box!.y, `${target} starts above the viewport`).toBeGreaterThanOrEqual(0);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${target} ends below the viewport`).toBeLessThanOrEqual(viewport.height);
  expect(box!.x + box!.width, `${target} ends right of the viewport`).toBeLessThanOrEqual(viewport.width);
}

test.describe("at 1440 × 900", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("six lines: every stepper, the total, the approval state and Review are in view without scrolling, and the keyboard alone gets to the dialog", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(sixLines);
    await openOrder(page, orderId, body.externalId);
    const table = page.getByRole("region", { name: "Order lines" });
    // The lines are listed once: the steppers are in the lines table's rows.
    for (const line of body.lines) {
      const row = table.getByRole("row").filter({ hasText: line.description });
      await expect(row.getByRole("spinbutton", { name: `Quantity to cancel, ${line.description}` })).toBeVisible();
      await expectInViewport(page, row.getByRole("spinbutton"));
      await expectInViewport(page, row.getByRole("button", { name: `All remaining of ${line.description}` }));
    }
    await expect(page.getByRole("spinbutton")).toHaveCount(6);
    // The table does not scroll sideways either: the last column is inside its region.
    expect(await table.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    // Keyboard only: a stepper, another, the reason, Review.
    const first = stepperFor(page, body.lines[0]!.description);
    await tabTo(page, first);
    await page.keyboard.press("ArrowUp");
    const sixth = stepperFor(page, body.lines[5]!.description);
    await tabTo(page, sixth);
    await page.keyboard.press("End");
    await expect(sixth).toHaveValue("2");
    await expect(page.getByTestId("preview-total")).toHaveText("$30.00");
    const summary = page.getByTestId("cancel-summary");
    await expect(summary.getByTestId("approval-state")).toHaveText("No approval needed: it is processed when you confirm.");
    await expect(summary.getByRole("list", { name: "Where the money goes" }).getByRole("listitem")).toHaveText(["→Reverse $30.00 on Visa •••• 4242"]);
    const reason = page.getByLabel("Reason");
    const review = page.getByRole("button", { name: "Review cancellation" });
    // Nothing has scrolled, and all the agent needs is in view.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const target of [page.getByTestId("preview-total"), summary.getByTestId("approval-state"), summary.getByRole("list", { name: "Where the money goes" }), reason, review]) {
      await expectInViewport(page, target);
    }
    await expectNoSeriousAxeViolations(page);

    // Tab goes on through the refund per line (below the fold) to the summary's fields.
    await tabTo(page, reason);
    await page.keyboard.press("ArrowDown");
    await expect(reason).toHaveValue("CUSTOMER_REQUEST");
    await tabTo(page, review);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$30.00");
    await expectNoSeriousAxeViolations(page);
  });

  test("Review stays pressable while the preview refreshes, and opens with the refund for exactly the new selection", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
    const stepper = stepperFor(page, "Oxford shirt, red, M");
    await stepper.fill("1");
    await expect(page.getByTestId("preview-total")).toHaveText("$97.43");

    // Hold the next preview answer back, so the refresh is still on its way when Review is pressed.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/trpc\/[^?]*cancellation\.preview/, async (route) => {
      await held;
      await route.continue();
    });
    await stepper.press("ArrowUp");
    await expect(page.getByText("Updating…").first()).toBeVisible();
    const review = page.getByRole("button", { name: "Review cancellation" });
    await expect(review).toBeEnabled();
    await review.click();
    // (The phone bar's copy of the hint is not displayed at this width.)
    await expect(page.getByRole("status").filter({ hasText: "Waiting for the updated refund…" })).toBeVisible();
    // No dialog with the old amount in the meantime.
    await expect(page.getByRole("dialog", { name: "Confirm cancellation" })).toBeHidden();
    release();
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$194.85");
    await expect(dialog.getByRole("listitem").filter({ hasText: "Oxford shirt, red, M" })).toContainText("2 × Oxford shirt, red, M");
    await page.unroute(/\/api\/trpc\/[^?]*cancellation\.preview/);
  });

  test("the quantities, reason and refund method live in the URL: a refresh and Back keep them", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await stepperFor(page, "Oxford shirt, red, M").fill("2");
    await page.getByRole("button", { name: "All remaining of Wool scarf, charcoal" }).click();
    await page.getByLabel("Reason").selectOption("ITEM_UNAVAILABLE");
    await page.getByLabel("Refund method").selectOption("store_credit");
    await expect(page).toHaveURL(/qty\.A=2/);
    await expect(page).toHaveURL(/qty\.B=1/);
    await expect(page).toHaveURL(/reason=ITEM_UNAVAILABLE/);
    await expect(page).toHaveURL(/method=store_credit/);

    await page.reload();
    await expect(stepperFor(page, "Oxford shirt, red, M")).toHaveValue("2");
    await expect(stepperFor(page, "Wool scarf, charcoal")).toHaveValue("1");
    await expect(page.getByLabel("Reason")).toHaveValue("ITEM_UNAVAILABLE");
    await expect(page.getByLabel("Refund method")).toHaveValue("store_credit");
    await expect(page.getByTestId("preview-total")).toHaveText("$243.56");

    // Away (the breadcrumb) and Back.
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Orders" }).click();
    await expect(page.getByRole("heading", { name: "Orders", level: 1 })).toBeVisible();
    await page.goBack();
    await expect(stepperFor(page, "Oxford shirt, red, M")).toHaveValue("2");
    await expect(page.getByLabel("Reason")).toHaveValue("ITEM_UNAVAILABLE");
    await expect(page.getByLabel("Refund method")).toHaveValue("store_credit");

    // A link with more than a line allows is capped by the screen (and the server would refuse it).
    await page.goto(`/orders/${orderId}?qty.A=9&qty.ZZ=1&method=cash`);
    await expect(stepperFor(page, "Oxford shirt, red, M")).toHaveValue("3");
    await expect(page.getByLabel("Refund method")).toHaveValue("original");
  });
});

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("a bar keeps the total, the approval state and Review always at hand; Details goes to the whole summary", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(sixLines);
    await openOrder(page, orderId, body.externalId);
    const review = page.getByRole("button", { name: "Review cancellation" });
    const bar = page.getByTestId("summary-bar");
    await expectInViewport(page, review);
    await expectInViewport(page, page.getByTestId("bar-total"));

    // Tab to the last line's stepper: the page keeps the focused field above the bar (scroll-padding).
    const last = stepperFor(page, body.lines[5]!.description);
    await tabTo(page, last);
    await page.keyboard.press("+");
    await expect(page.getByTestId("bar-total")).toHaveText("$10.00");
    await expect(page.getByTestId("preview-total")).toHaveText("$10.00");
    // Scrolled down to the last line, the bar is still there and does not cover the stepper.
    await expectInViewport(page, review);
    await expectInViewport(page, page.getByTestId("bar-total"));
    const barBox = await bar.boundingBox();
    const stepperBox = await last.boundingBox();
    expect(stepperBox!.y + stepperBox!.height).toBeLessThanOrEqual(barBox!.y);

    // Review without a reason goes to the reason, above the bar.
    await review.click();
    const reason = page.getByLabel("Reason");
    await expect(reason).toBeFocused();
    await expectInViewport(page, reason);
    const reasonBox = await reason.boundingBox();
    expect(reasonBox!.y + reasonBox!.height).toBeLessThanOrEqual(barBox!.y);
    await reason.selectOption("CUSTOMER_REQUEST");
    await expect(page.getByTestId("cancel-summary").getByRole("list", { name: "Where the money goes" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);

    await page.evaluate(() => window.scrollTo(0, 0));
    await bar.getByRole("button", { name: "Details" }).click();
    await expect(page.getByTestId("cancel-summary").getByRole("heading", { name: "Total refund" })).toBeFocused();
    await expectInViewport(page, page.getByTestId("cancel-summary").getByRole("heading", { name: "Total refund" }));
    await expectInViewport(page, review);
    await review.click();
    await expect(page.getByRole("dialog", { name: "Confirm cancellation" }).getByTestId("confirm-total")).toHaveText("$10.00");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

test.describe("at 360 px", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("nothing scrolls sideways; the table scrolls in its own region and the bar stays in view", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await stepperFor(page, "Oxford shirt, red, M").fill("2");
    await expect(page.getByTestId("bar-total")).toHaveText("$194.85");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectInViewport(page, page.getByRole("button", { name: "Review cancellation" }));
    await page.getByTestId("summary-bar").getByRole("button", { name: "Details" }).click();
    await expectInViewport(page, page.getByTestId("cancel-summary").getByRole("heading", { name: "Total refund" }));
    await expectNoSeriousAxeViolations(page);
  });
});
