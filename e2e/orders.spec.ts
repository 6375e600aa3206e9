import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { formatMoney } from "../components/format-money";
import { exampleA, expect, overLimit, restPreview, test } from "./fixtures";

async function openOrder(page: Page, orderId: string, externalId: string) {
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${externalId}` })).toBeVisible();
}

const stepperFor = (page: Page, line: string) => page.getByRole("spinbutton", { name: `Quantity to cancel, ${line}` });

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

/** Presses Tab (and nothing else) until `target` has the focus. */
async function tabTo(page: Page, target: Locator, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

async function chooseReason(page: Page) {
  await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
}

test.describe("orders", () => {
  test("search finds an order by external id and by customer, and the URL keeps the search", async ({ agentPage: page, createOrder }) => {
    const { body } = await createOrder(exampleA);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
    await expect(page.getByRole("heading", { name: "Orders", level: 1 })).toBeVisible();

    // Part of the external id lists it (an exact one would open the order on Enter: order-search.spec.ts).
    await page.getByLabel("Search orders").fill(body.externalId.slice(0, -1));
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]q=${body.externalId.slice(0, -1)}`));
    const results = page.getByRole("region", { name: "Orders found" });
    await expect(results.getByRole("row")).toHaveCount(2);
    const row = results.getByRole("row").filter({ hasText: body.externalId });
    await expect(row.getByRole("link", { name: body.externalId })).toBeVisible();
    await expect(row).toContainText("$350.99");
    await expect(row).toContainText("Open");

    // A shared link shows the same search.
    await page.goto(page.url());
    await expect(page.getByLabel("Search orders")).toHaveValue(body.externalId.slice(0, -1));
    await expect(page.getByRole("region", { name: "Orders found" }).getByRole("link", { name: body.externalId })).toBeVisible();

    await page.goto(`/orders?q=${encodeURIComponent(body.customer.name)}&status=OPEN&channel=web&store=STORE-001`);
    await expect(page.getByRole("region", { name: "Orders found" }).getByRole("link", { name: body.externalId })).toBeVisible();
    await expect(page.getByLabel("Status")).toHaveValue("OPEN");

    await page.goto(`/orders?q=${encodeURIComponent(body.customer.email)}&status=CANCELLED`);
    await expect(page.getByText("No orders match this search.")).toBeVisible();

    await page.goto(`/orders?q=${encodeURIComponent(body.customer.email)}`);
    await page.getByRole("region", { name: "Orders found" }).getByRole("link", { name: body.externalId }).click();
    await expect(page.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();
  });

  test("the detail page shows the customer, lines with their quantities, and tenders", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await expect(page.getByText(body.customer.name, { exact: true })).toBeVisible();
    const lines = page.getByRole("region", { name: "Order lines" });
    const lineA = lines.getByRole("row").filter({ hasText: "Oxford shirt, red, M" });
    // One row per line: item, price, ordered, shipped, released, cancelled, held, cancellable, then the stepper and "All".
    await expect(lineA.getByRole("cell")).toHaveCount(10);
    expect((await lineA.getByRole("cell").allTextContents()).slice(0, 8)).toEqual(["Oxford shirt, red, MLine A · APP-SHIRT-RED-M", "$100.00", "3", "0", "0", "0", "0", "3"]);
    await expect(lineA.getByRole("spinbutton", { name: "Quantity to cancel, Oxford shirt, red, M" })).toHaveAttribute("aria-valuemax", "3");
    await expect(lines.getByRole("row").filter({ hasText: "Wool scarf, charcoal" }).getByRole("cell").nth(7)).toHaveText("1");
    const payments = page.getByRole("list", { name: "Payments" });
    await expect(payments.getByRole("listitem")).toHaveText([
      "Visa •••• 4242, authorized $300.99, captured $0.00",
      // An agent lacks read_payment_information: a gift card shows only its last 4 (SPEC §1).
      `gift card ****${body.tenders[1]!.providerReference.slice(-4)}, authorized $50.00, captured $50.00`,
    ]);
    await expect(page.getByText("No cancellations on this order yet.")).toBeVisible();
  });

  test("2 of line A preview 194.85 with tax 14.85, the same as the REST preview", async ({ agentPage: page, createOrder, request }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await stepperFor(page, "Oxford shirt, red, M").fill("2");

    await expect(page.getByTestId("preview-total")).toHaveText("$194.85");
    await expect(page.getByTestId("preview-tax")).toHaveText("$14.85");
    await expect(page.getByText("Updating…")).toHaveCount(0);
    const rest = await restPreview(request, orderId, { orderLineIds: ["A"], quantities: [2] });
    expect(rest.totals.total).toBe("194.85");
    const money = (a: string) => formatMoney(a, rest.currency);
    await expect(page.getByTestId("preview-subtotal")).toHaveText(money(rest.totals.subtotal));
    await expect(page.getByTestId("preview-discount")).toHaveText(`−${money(rest.totals.discount)}`);
    await expect(page.getByTestId("preview-tax")).toHaveText(money(rest.totals.tax));
    await expect(page.getByTestId("preview-shipping")).toHaveText(money(rest.totals.shipping));
    await expect(page.getByTestId("preview-shipping-tax")).toHaveText(money(rest.totals.shippingTax));
    await expect(page.getByTestId("preview-total")).toHaveText(money(rest.totals.total));
    expect(rest.allocation).toEqual([{ tenderId: "T1", operation: "reversal", amount: "194.85" }]);
    await expect(page.getByRole("list", { name: "Where the money goes" }).getByRole("listitem")).toHaveText(["→Reverse $194.85 on Visa •••• 4242"]);
    await expect(page.getByText("Approval required")).toHaveCount(0);

    // The preview follows the selection: the whole order refunds everything that was paid.
    await page.getByRole("button", { name: "All remaining on the order" }).click();
    await expect(page.getByTestId("preview-total")).toHaveText("$350.99");
    const all = await restPreview(request, orderId, { orderLineIds: ["A", "B"], quantities: [3, 1] });
    await expect(page.getByTestId("preview-total")).toHaveText(money(all.totals.total));
    await expect(page.getByRole("list", { name: "Where the money goes" }).getByRole("listitem")).toHaveText([
      "→Reverse $300.99 on Visa •••• 4242",
      `→Refund $50.00 to gift card ****${body.tenders[1]!.providerReference.slice(-4)}`,
    ]);
  });

  test("an over-limit selection shows the approval banner before submitting", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(overLimit);
    await openOrder(page, orderId, body.externalId);
    await page.getByRole("button", { name: "All remaining of OLED television, 55 inch" }).click();
    await expect(page.getByTestId("preview-total")).toHaveText("$800.00");
    const banner = page.getByRole("status").filter({ hasText: "Approval required" });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText("Needs a store manager: $800.00 is $300.00 over your $500.00 limit.");

    await stepperFor(page, "OLED television, 55 inch").press("ArrowDown");
    await expect(page.getByTestId("preview-total")).toHaveText("$400.00");
    await expect(banner).toHaveCount(0);
  });

  test("the stepper refuses values outside 0 to the cancellable quantity", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    const stepper = stepperFor(page, "Oxford shirt, red, M");
    await expect(stepper).toHaveAttribute("aria-valuemin", "0");
    await expect(stepper).toHaveAttribute("aria-valuemax", "3");

    // Above the maximum: the maximum, said (issue 15: never silently dropped).
    await stepper.fill("5");
    await expect(stepper).toHaveValue("3");
    await expect(page.getByText("Only 3 can be cancelled: set to 3.")).toBeVisible();
    await stepper.press("Home");
    await expect(stepper).toHaveValue("0");
    await expect(page.getByText("Only 3 can be cancelled: set to 3.")).toHaveCount(0);
    for (const bad of ["-1", "abc", "1.5"]) {
      await stepper.fill(bad);
      await expect(stepper).toHaveAttribute("aria-invalid", "true");
      await expect(stepper).toHaveAttribute("aria-valuenow", "0");
      await expect(page.getByText("Enter a whole number from 0 to 3.")).toBeVisible();
    }
    await stepper.fill("0");
    await expect(page.getByText("Enter a whole number from 0 to 3.")).toHaveCount(0);
    await stepper.press("ArrowDown");
    await expect(stepper).toHaveValue("0");
    await stepper.fill("3");
    await expect(stepper).toHaveValue("3");
    await expect(stepper).toHaveAttribute("aria-valuenow", "3");
    await stepper.press("ArrowUp");
    await expect(stepper).toHaveValue("3");
    await expect(page.getByRole("button", { name: "Increase Quantity to cancel, Oxford shirt, red, M" })).toBeDisabled();
    await page.getByRole("button", { name: "Decrease Quantity to cancel, Oxford shirt, red, M" }).click();
    await expect(stepper).toHaveValue("2");
    await expect(page.getByTestId("preview-total")).toHaveText("$194.85");
  });

  test("the keyboard alone chooses a quantity and reaches the confirm dialog", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    const stepper = stepperFor(page, "Oxford shirt, red, M");
    await tabTo(page, stepper);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await expect(stepper).toHaveValue("2");
    const reason = page.getByLabel("Reason");
    await tabTo(page, reason);
    await page.keyboard.press("ArrowDown");
    await expect(reason).toHaveValue("CUSTOMER_REQUEST");
    await expect(page.getByTestId("preview-total")).toHaveText("$194.85");
    const review = page.getByRole("button", { name: "Review cancellation" });
    await tabTo(page, review);
    await page.keyboard.press("Enter");

    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$194.85");
    const back = dialog.getByRole("button", { name: "Go back" });
    const confirm = dialog.getByRole("button", { name: "Confirm cancellation" });
    await expect(back).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(confirm).toBeFocused();
    await page.keyboard.press("Tab");
    // Focus stays inside the dialog: on to its first control, the customer-email choice.
    await expect(dialog.getByRole("checkbox", { name: /Email the customer/ })).toBeFocused();
    await page.keyboard.press("Shift+Tab");
    await expect(confirm).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(review).toBeFocused();
  });

  test("no serious or critical axe violations on the list, the detail with a preview, and the dialog", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(overLimit);
    await page.goto("/orders");
    await expect(page.getByRole("region", { name: "Orders found" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);

    await openOrder(page, orderId, body.externalId);
    await page.getByRole("button", { name: "All remaining on the order" }).click();
    await chooseReason(page);
    await expect(page.getByTestId("preview-total")).toHaveText("$800.00");
    await expect(page.getByRole("status").filter({ hasText: "Approval required" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);

    await page.getByRole("button", { name: "Review cancellation" }).click();
    await expect(page.getByRole("dialog", { name: "Confirm cancellation" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });

  test("at 360 px the summary is a bottom sheet with the total and Review in view, and nothing scrolls sideways", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await page.setViewportSize({ width: 360, height: 780 });
    await openOrder(page, orderId, body.externalId);
    await stepperFor(page, "Oxford shirt, red, M").fill("2");
    await expect(page.getByTestId("preview-total")).toHaveText("$194.85");
    const review = await page.getByRole("button", { name: "Review cancellation" }).boundingBox();
    expect(review!.y + review!.height).toBeLessThanOrEqual(780);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.goto(`/orders?q=${body.externalId}`);
    await expect(page.getByRole("region", { name: "Orders found" }).getByRole("link", { name: body.externalId })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});

test.describe("submitting a cancellation", () => {
  test("a confirmed cancellation completes, with the timeline and per-tender status; a double click submits once", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await stepperFor(page, "Oxford shirt, red, M").fill("2");
    await chooseReason(page);
    await expect(page.getByTestId("preview-total")).toHaveText("$194.85");
    await page.getByRole("button", { name: "Review cancellation" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$194.85");
    await dialog.getByRole("button", { name: "Confirm cancellation" }).dblclick();

    await expect(page).toHaveURL(new RegExp(`/orders/${orderId}/cancellations/[0-9a-f-]{36}$`));
    const status = page.getByRole("status").filter({ hasText: "Status:" });
    await expect(status).toContainText("Completed");
    await expect(page.getByRole("list", { name: "Per-payment status" }).getByRole("listitem")).toHaveText(["Reverse $194.85 on Visa •••• 4242Succeeded"]);
    const timeline = page.getByRole("list", { name: "Timeline" }).getByRole("listitem");
    await expect(timeline.first()).toBeVisible();
    expect(await timeline.count()).toBeGreaterThan(1);
    await expect(page.getByText("Checking every second…")).toHaveCount(0);
    await expectNoSeriousAxeViolations(page);

    await page.getByRole("link", { name: `← Back to order ${body.externalId}` }).click();
    const history = page.getByRole("region", { name: "Cancellation history" });
    await expect(history.getByRole("row")).toHaveCount(2);
    await expect(history.getByRole("row").nth(1)).toContainText("Completed");
    await expect(history.getByRole("row").nth(1)).toContainText("$194.85");
    const lineA = page.getByRole("region", { name: "Order lines" }).getByRole("row").filter({ hasText: "Oxford shirt, red, M" });
    await expect(lineA.getByRole("cell").nth(5)).toHaveText("2");
    await expect(lineA.getByRole("cell").nth(7)).toHaveText("1");
    await history.getByRole("link").first().click();
    await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Completed");
  });

  test("an over-limit cancellation waits for approval", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(overLimit);
    await openOrder(page, orderId, body.externalId);
    await page.getByRole("button", { name: "All remaining on the order" }).click();
    await chooseReason(page);
    await expect(page.getByTestId("preview-total")).toHaveText("$800.00");
    await expect(page.getByTestId("approval-reason")).toHaveText("Needs a store manager: $800.00 is $300.00 over your $500.00 limit.");
    await page.getByRole("button", { name: "Review cancellation" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByRole("status").filter({ hasText: "Approval required" })).toBeVisible();
    await dialog.getByRole("button", { name: "Confirm cancellation" }).click();
    await expect(page).toHaveURL(/\/cancellations\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Pending approval");
    await expect(page.getByTestId("cancellation-summary")).toHaveText("Waiting for approval by a store manager. The units are held; no money has moved yet.");
  });

  test("a preview made stale by a second tab is caught at submit and shows the new amounts", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await page.getByRole("button", { name: "All remaining of Oxford shirt, red, M" }).click();
    await chooseReason(page);
    await expect(page.getByTestId("preview-total")).toHaveText("$292.28");
    await page.getByRole("button", { name: "Review cancellation" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$292.28");

    // Meanwhile, a second tab cancels the scarf.
    const other = await page.context().newPage();
    await openOrder(other, orderId, body.externalId);
    await other.getByRole("button", { name: "All remaining of Wool scarf, charcoal" }).click();
    await chooseReason(other);
    await expect(other.getByTestId("preview-total")).toHaveText("$48.71");
    await other.getByRole("button", { name: "Review cancellation" }).click();
    await other.getByRole("dialog").getByRole("button", { name: "Confirm cancellation" }).click();
    await expect(other).toHaveURL(/\/cancellations\//);
    await other.close();

    // The first tab's confirmation is now stale: the shirts are the last units, so shipping is refunded too.
    await dialog.getByRole("button", { name: "Confirm cancellation" }).click();
    await expect(dialog.getByRole("alert")).toContainText("The order changed since your preview");
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$302.28");
    await expect(dialog.getByRole("alert")).toContainText("it was $292.28");
    await dialog.getByRole("button", { name: "Confirm cancellation" }).click();
    await expect(page).toHaveURL(/\/cancellations\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText(/Completed|Processing/);
    await expect(page.getByText("$302.28").first()).toBeVisible();
  });
});
