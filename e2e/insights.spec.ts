import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { createDb, type Db } from "../server/db/client";
import { adminCode, signInThroughForm } from "./helpers";

// Issue 16: Insights draws its charts with Recharts; each has a table view, whose numbers must be
// the database's. The test counts in SQL and reads the page.
let db: Db;
test.beforeAll(() => {
  const url = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("this test counts cancellations in the database: set E2E_DATABASE_URL (npm run test:e2e does)");
  db = createDb(url, 2);
});
test.afterAll(() => db?.$disconnect());

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

async function cancelledOrder(request: APIRequestContext, storeId: string, unique: string, reason: string) {
  const body = {
    channel: "mobile",
    externalId: `E2E-INS-${unique}`,
    storeId,
    currency: "USD",
    customer: { id: `CUST-INS-${unique}`, name: `Ines Insight ${unique}`, email: `ines.${unique.toLowerCase()}@example.com` },
    lines: [{ lineId: "1", sku: `SKU-INS-${storeId}`, description: "Desk lamp", quantity: 2, unitPrice: "30.00", discount: "0.00", tax: "0.00" }],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_ins_${unique.toLowerCase()}`, authorized: "60.00", captured: "0.00", brand: "visa", last4: "4242" }],
  };
  const imported = await request.post("/api/v1/orders", { headers: bearer("dev-integration-key"), data: body });
  expect(imported.status(), await imported.text()).toBe(201);
  const { orderId } = (await imported.json()) as { orderId: string };
  const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { ...bearer("dev-agent-key"), "Idempotency-Key": `ins-${unique}` },
    data: { orderLineIds: ["1"], quantities: [1], reason, refundMethod: "original" },
  });
  expect(submitted.status(), await submitted.text()).toBe(201);
}

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

test("Insights: charts drawn, and the table view of each matches the database's count", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const unique = `${Date.now().toString(36)}${testInfo.workerIndex}`.toUpperCase();
  const store = `E2E-INS-${unique}`;
  const reasons = ["ITEM_UNAVAILABLE", "ITEM_UNAVAILABLE", "PRICE_ERROR"];
  for (const [i, reason] of reasons.entries()) await cancelledOrder(request, store, `${unique}-${i}`, reason);

  const page = await (await browser.newContext()).newPage();
  await signInThroughForm(page, "admin@example.com", undefined, adminCode());
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights" }).click();
  await expect(page.getByRole("heading", { name: "Insights", level: 1 })).toBeVisible();
  await page.getByLabel("Store", { exact: true }).fill(store);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page.getByTestId("insights-period")).toContainText(`stores ${store}`);

  // Drawn by Recharts: an SVG surface with a bar per reason.
  const byReason = page.getByRole("region", { name: "By reason", exact: true });
  await expect(byReason.locator("svg.recharts-surface")).toBeVisible();
  await expect(byReason.locator(".recharts-bar-rectangle")).toHaveCount(2);
  await expectNoSeriousAxeViolations(page);

  const counted = await db.$queryRaw<{ reason: string; n: bigint }[]>`
    SELECT c.reason, count(*) AS n FROM cancellations c JOIN orders o ON o.id = c.order_id
     WHERE o.store_id = ${store} AND c.created_at >= date_trunc('day', now()) - interval '29 days' GROUP BY 1 ORDER BY 1`;
  expect(counted.map((r) => [r.reason, Number(r.n)])).toEqual([
    ["ITEM_UNAVAILABLE", 2],
    ["PRICE_ERROR", 1],
  ]);
  await byReason.getByRole("button", { name: "By reason: show as table" }).click();
  const table = byReason.getByRole("region", { name: "By reason (table)" });
  for (const r of counted) {
    const label = r.reason === "ITEM_UNAVAILABLE" ? "Item unavailable" : "Price error";
    await expect(table.getByRole("row").filter({ hasText: label }).getByRole("cell").nth(1)).toHaveText(String(r.n));
  }

  const byStore = page.getByRole("region", { name: "By store and channel", exact: true });
  await byStore.getByRole("button", { name: "By store and channel: show as table" }).click();
  await expect(byStore.getByRole("row").filter({ hasText: store })).toContainText(`${store}mobile3`);
  const perDay = page.getByRole("region", { name: "Cancellations per day", exact: true });
  await expect(perDay.locator("svg.recharts-surface")).toBeVisible();
  await perDay.getByRole("button", { name: "Cancellations per day: show as table" }).click();
  await expect(perDay.getByRole("row").filter({ hasText: "USD" })).toContainText(`${new Date().toISOString().slice(0, 10)}USD3`);

  const [download] = await Promise.all([page.waitForEvent("download"), byReason.getByRole("button", { name: "By reason: download CSV" }).click()]);
  const { readFileSync } = await import("node:fs");
  expect(readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n")).toEqual(["Reason,Cancellations,Completed", expect.stringMatching(/^ITEM_UNAVAILABLE,2,\d$/), expect.stringMatching(/^PRICE_ERROR,1,\d$/)]);
  await expectNoSeriousAxeViolations(page);
});

test("Insights are for managers (their stores) and admins; an agent is told it is not theirs", async ({ browser }) => {
  const manager = await (await browser.newContext()).newPage();
  await signInThroughForm(manager, "manager@example.com");
  await expect(manager.getByRole("button", { name: "Sign out" })).toBeVisible();
  await manager.goto("/insights");
  await expect(manager.getByText("Cancellations in your stores: STORE-001, STORE-002.")).toBeVisible();
  await expect(manager.getByLabel("Store", { exact: true }).getByRole("option")).toHaveText(["All your stores", "STORE-001", "STORE-002"]);
  await expect(manager.getByTestId("insights-period")).toContainText("stores STORE-001, STORE-002");

  const agent = await (await browser.newContext()).newPage();
  await signInThroughForm(agent, "agent@example.com");
  await expect(agent.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(agent.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights" })).toHaveCount(0);
  await agent.goto("/insights");
  await expect(agent.getByRole("heading", { name: "You don't have permission to open Insights" })).toBeVisible();
  await expectNoSeriousAxeViolations(agent);
});
