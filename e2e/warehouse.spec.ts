import type { Page } from "@playwright/test";
import { expect, test, type ImportOrderBody } from "./fixtures";

/*
 * SPEC §11 through the agent's screens: units already released to the warehouse are selectable
 * with a "needs the warehouse" mark, the refund is "up to", and the status page shows the
 * warehouse's answer per line. The warehouse fake (started by npm test, WAREHOUSE_URL) is told
 * through its control API that one of the three units was picked, so it answers "partial".
 */

/** 3 × 40.00 released to the warehouse, paid by one card authorization. */
function releasedOrder(unique: string): ImportOrderBody {
  return {
    channel: "web",
    externalId: `E2E-WH-${unique}`,
    storeId: "STORE-001",
    currency: "USD",
    customer: { id: `CUST-${unique}`, name: `Katherine Johnson ${unique}`, email: `kj.${unique.toLowerCase()}@example.com` },
    lines: [{ lineId: "1", sku: "OUT-JACKET-RAIN", description: "Rain jacket, navy", quantity: 3, unitPrice: "40.00", discount: "0.00", tax: "0.00", released: 3 }],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_${unique}`, authorized: "120.00", captured: "0.00", brand: "visa", last4: "4242" }],
  };
}

async function openOrder(page: Page, orderId: string, externalId: string) {
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${externalId}` })).toBeVisible();
}

test("an agent cancels released units; the warehouse stops 2 of 3 and the refund is for exactly 2", async ({ agentPage: page, createOrder, request }) => {
  const warehouseUrl = process.env.WAREHOUSE_URL;
  test.skip(!warehouseUrl, "needs the warehouse fake (npm run test:e2e starts it)");
  const { orderId, body } = await createOrder(releasedOrder);
  // One unit was picked meanwhile: the warehouse can stop only two.
  const set = await request.put(`${warehouseUrl}/__control/lines`, { data: { orderId, lineId: "1", sku: "OUT-JACKET-RAIN", locationId: "DC-MAIN", released: 2, picked: 1 } });
  expect(set.status()).toBe(200);

  await openOrder(page, orderId, body.externalId);
  await page.getByRole("spinbutton", { name: "Quantity to cancel, Rain jacket, navy" }).fill("3");
  await expect(page.getByTestId("needs-warehouse-1")).toContainText("Needs the warehouse");
  await expect(page.getByTestId("needs-warehouse-1")).toContainText("3 of these units were already released for picking");
  await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
  await expect(page.getByTestId("preview-total")).toHaveText("up to $120.00");
  await expect(page.getByTestId("preview-warehouse")).toContainText("Needs the warehouse");
  await page.getByRole("button", { name: "Review cancellation" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
  await expect(dialog.getByTestId("confirm-total")).toHaveText("up to $120.00");
  await dialog.getByRole("button", { name: "Confirm cancellation" }).click();

  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}/cancellations/[0-9a-f-]{36}$`));
  const status = page.getByRole("status").filter({ hasText: "Status:" });
  await expect(status).toContainText("Completed", { timeout: 30_000 });
  const warehouse = page.getByRole("region", { name: "The warehouse", exact: true });
  await expect(warehouse.getByTestId("warehouse-answer-1")).toContainText("Partly stopped");
  await expect(warehouse.getByRole("row").filter({ hasText: "Rain jacket, navy" }).getByRole("cell")).toHaveText([
    "Rain jacket, navyOUT-JACKET-RAIN at DC-MAIN",
    "3",
    "2",
    "Partly stopped1 will ship",
  ]);
  await expect(warehouse).toContainText("it was up to $120.00");
  await expect(page.getByRole("list", { name: "Per-payment status" }).getByRole("listitem")).toHaveText(["Reverse $80.00 on Visa •••• 4242Succeeded"]);
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("2 of 3 stopped; 1 could not be stopped and will ship");

  // The order: two cancelled, one still released (it ships).
  await page.getByRole("link", { name: `← Back to order ${body.externalId}` }).click();
  const line = page.getByRole("region", { name: "Order lines" }).getByRole("row").filter({ hasText: "Rain jacket, navy" });
  await expect(line).toBeVisible();
  const order = await request.get(`/api/v1/orders/${orderId}`, { headers: { Authorization: "Bearer dev-integration-key" } });
  const json = (await order.json()) as { lines: { lineId: string; released: number; cancelled: number; cancellable: number }[] };
  expect(json.lines.map((l) => [l.released, l.cancelled, l.cancellable])).toEqual([[1, 2, 0]]);
});
