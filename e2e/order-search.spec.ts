import { exampleA, expect, type ImportOrderBody, test } from "./fixtures";
import { expectNoSeriousAxeViolations, expectNoSideways, tabTo } from "./workspace-helpers";

/** Example A with searchable words of its own: a SKU, a product and a card's last 4 that no other test uses. */
function findable(unique: string): ImportOrderBody {
  const order = exampleA(unique);
  return {
    ...order,
    lines: [{ ...order.lines[0]!, sku: `SKU-${unique}`, description: `Tweed jacket ${unique}` }, order.lines[1]!],
  };
}

const searchBox = (page: import("@playwright/test").Page) => page.getByRole("searchbox", { name: "Search orders" });
const results = (page: import("@playwright/test").Page) => page.getByRole("region", { name: "Orders found" });

test.describe("order search (issue 15, point 8)", () => {
  test("searches as you type, by short id, SKU, product and customer; one result reads '1 order'; the URL follows", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(findable);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/orders");
    for (const text of [body.externalId.slice(0, -1), orderId.slice(0, 8), body.lines[0]!.sku.toLowerCase(), body.lines[0]!.description, body.customer.email]) {
      await searchBox(page).fill(text);
      // No button pressed: the search runs once the typing rests.
      await expect(results(page).getByRole("link", { name: body.externalId })).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: /^1 order$/ })).toBeVisible();
      await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(text);
    }
    // The short id is shown under the order, where it was read from.
    await expect(results(page).getByText(orderId.slice(0, 8))).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });

  test("while a newer search is on its way the old rows are inert and it says 'Searching…'", async ({ agentPage: page, createOrder }) => {
    const first = await createOrder(findable);
    const second = await createOrder(findable);
    await page.goto(`/orders?q=${encodeURIComponent(first.body.externalId)}`);
    await expect(results(page).getByRole("link", { name: first.body.externalId, exact: true })).toBeVisible();

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const isSearch = (url: URL) => url.pathname.startsWith("/api/trpc/") && url.pathname.includes("order.search");
    await page.route(isSearch, async (route) => {
      await held;
      await route.continue();
    });
    await searchBox(page).fill(second.body.externalId);
    await expect(page.getByRole("status").filter({ hasText: "Searching…" })).toBeVisible();
    const oldLink = results(page).getByRole("link", { name: first.body.externalId, exact: true });
    await expect(oldLink).toBeVisible();
    // Inert: not focusable, not clickable.
    expect(await oldLink.evaluate((el) => el.closest("[inert]") !== null)).toBe(true);
    release();
    await expect(results(page).getByRole("link", { name: second.body.externalId, exact: true })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Searching…" })).toBeHidden();
    await page.unroute(isSearch);
  });

  test("keyboard only: Enter on an exact external id opens the order", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(findable);
    await page.goto("/orders");
    await page.locator("body").focus();
    await tabTo(page, searchBox(page));
    await page.keyboard.type(body.externalId.toLowerCase());
    await expect(results(page).getByText("Exact match · Enter opens it")).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
    await expect(page.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();
  });

  test("keyboard only: an agent types the phone number the customer reads out, in another format, and opens the order", async ({ agentPage: page, createOrder }) => {
    const digits = String(1_000_000 + Math.floor(Math.random() * 9_000_000));
    const phone = `+1 (555) ${digits.slice(0, 3)}-${digits.slice(3)}`;
    const { orderId, body } = await createOrder((u) => ({ ...findable(u), customer: { ...findable(u).customer, phone } }));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/orders");
    await page.locator("body").focus();
    await tabTo(page, searchBox(page));
    await page.keyboard.type(`555 ${digits.slice(0, 3)} ${digits.slice(3)}`);
    const link = results(page).getByRole("link", { name: body.externalId, exact: true });
    await expect(link).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: /^1 order$/ })).toBeVisible();
    // The row shows the number as the channel gave it, so the agent can check it with the caller.
    await expect(results(page).getByText(phone, { exact: true })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await tabTo(page, link);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
    await expect(page.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();
    await expect(page.getByText(phone, { exact: true }).first()).toBeVisible();
  });

  test("at 360 px a row with the customer's phone fits: no sideways scroll, the whole number on screen, axe clean", async ({ agentPage: page }) => {
    // Seeded example A: Ada Lovelace, +1 (555) 010-4477, found by the number in another format.
    const phone = "+1 (555) 010-4477";
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`/orders?q=${encodeURIComponent("555 010 4477")}`);
    const row = results(page).getByRole("row").filter({ has: page.getByRole("link", { name: "WEB-EXAMPLE-A", exact: true }) });
    const number = row.getByText(phone, { exact: true });
    await expect(number).toBeVisible();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth)).toBeLessThanOrEqual(0);
    // On screen as a whole, not behind the table's own sideways scroll, and not cut inside its cell.
    await expect(number).toBeInViewport({ ratio: 1 });
    expect(await number.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const box = (await number.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    await expectNoSeriousAxeViolations(page);
  });

  test("columns sort both ways, pages count the matches, a card's last 4 finds orders; fits 360 px", async ({ agentPage: page, createOrder, unique }) => {
    // Three orders of one customer (their name is the shared search word), at three totals.
    const name = `Sortable ${unique}`;
    for (const price of ["100.00", "300.00", "200.00"]) {
      await createOrder((u) => {
        const order = exampleA(u);
        const total = (Number(price) + 0).toFixed(2);
        return {
          ...order,
          customer: { ...order.customer, name },
          lines: [{ ...order.lines[0]!, quantity: 1, unitPrice: price, tax: "0.00" }],
          discounts: [],
          shipping: { amount: "0.00", tax: "0.00" },
          tenders: [{ ...order.tenders[0]!, authorized: total }],
        };
      });
    }
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`/orders?q=${encodeURIComponent(name)}`);
    const table = results(page);
    await expect(page.getByRole("status").filter({ hasText: /^3 orders$/ })).toBeVisible();
    const totals = () => table.getByRole("row").locator("td:nth-child(6)").allInnerTexts();
    await table.getByRole("link", { name: /^Total/ }).click();
    await expect(page).toHaveURL(/sort=total/);
    await expect(table.getByRole("columnheader", { name: /Total/ })).toHaveAttribute("aria-sort", "descending");
    await expect.poll(totals).toEqual(["$300.00", "$200.00", "$100.00"]);
    await table.getByRole("link", { name: /^Total/ }).click();
    await expect(table.getByRole("columnheader", { name: /Total/ })).toHaveAttribute("aria-sort", "ascending");
    await expect.poll(totals).toEqual(["$100.00", "$200.00", "$300.00"]);
    await expectNoSideways(page);
    await expectNoSeriousAxeViolations(page);

    await searchBox(page).fill("4242");
    await expect(page.getByRole("status").filter({ hasText: /orders$/ })).toBeVisible();
    await expect(table.getByRole("row").nth(1)).toBeVisible();
  });
});
