import { randomUUID } from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import { expectNoSeriousAxeViolations, tabTo } from "./a11y";
import { exampleA, expect, overLimit, test } from "./fixtures";

// Issue 15, point 5: the approval gate in advance, with the server's numbers (SPEC §5: the limit
// and the excess; the velocity counters), on the order page before anything is submitted.

async function openOrder(page: Page, orderId: string, externalId: string) {
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${externalId}` })).toBeVisible();
}

async function restPreviewApproval(request: APIRequestContext, orderId: string, selection: { orderLineIds: string[]; quantities: number[] }) {
  const response = await request.post(`/api/v1/orders/${orderId}/cancel-partial/preview`, {
    headers: { Authorization: "Bearer dev-agent-key" },
    data: { reason: "CUSTOMER_REQUEST", refundMethod: "original", ...selection },
  });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { approval: { total: string; limit: string | null; excess: string | null; velocity: { otherOrdersWithCancellations24h: number } | null } }).approval;
}

test.describe("at 1440 px", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("over the limit: the banner says by how much, in the preview's numbers, before Review and in the dialog", async ({ agentPage: page, createOrder, request }) => {
    const { orderId, body } = await createOrder(overLimit);
    await openOrder(page, orderId, body.externalId);
    await page.getByRole("button", { name: "All remaining of OLED television, 55 inch" }).click();
    const banner = page.getByRole("status").filter({ hasText: "Approval required" });
    await expect(banner.getByTestId("approval-reason")).toHaveText(["Needs a store manager: $800.00 is $300.00 over your $500.00 limit."]);
    const rest = await restPreviewApproval(request, orderId, { orderLineIds: ["1"], quantities: [2] });
    expect([rest.total, rest.excess, rest.limit]).toEqual(["800.00", "300.00", "500.00"]);
    await expectNoSeriousAxeViolations(page);

    await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
    await page.getByRole("button", { name: "Review cancellation" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByTestId("approval-reason")).toHaveText(["Needs a store manager: $800.00 is $300.00 over your $500.00 limit."]);
  });

  test("velocity: three other orders of the customer with cancellations today are named with their count, keyboard only", async ({ agentPage: page, createOrder, request, unique }) => {
    const customer = { id: `CUST-VEL-${unique}`, name: `Vera Velocity ${unique}`, email: `vera.${unique.toLowerCase()}@example.com` };
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await createOrder((u) => ({ ...exampleA(u), customer })));
    for (const o of orders.slice(0, 3)) {
      const submitted = await request.post(`/api/v1/orders/${o.orderId}/cancel-partial`, {
        headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": randomUUID() },
        data: { orderLineIds: ["B"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
      });
      expect(submitted.status(), await submitted.text()).toBe(201);
    }
    const last = orders[3]!;
    const rest = await restPreviewApproval(request, last.orderId, { orderLineIds: ["B"], quantities: [1] });
    expect(rest.velocity?.otherOrdersWithCancellations24h).toBe(3);

    await openOrder(page, last.orderId, last.body.externalId);
    const stepper = page.getByRole("spinbutton", { name: "Quantity to cancel, Wool scarf, charcoal" });
    await tabTo(page, stepper);
    await page.keyboard.press("+");
    await expect(page.getByTestId("preview-total")).toHaveText("$48.71");
    await expect(page.getByTestId("approval-reason")).toHaveText([
      "Velocity (needs a store manager): this customer had cancellations on 3 other orders in the last 24 hours (approval from 3).",
    ]);
    await expectNoSeriousAxeViolations(page);
  });
});

test.describe("at 360 px", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("the phone's summary bar says that approval is needed, and Details gives the numbers", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(overLimit);
    await openOrder(page, orderId, body.externalId);
    await page.getByRole("button", { name: "All remaining of OLED television, 55 inch" }).click();
    await expect(page.getByTestId("preview-total")).toHaveText("$800.00");
    await expect(page.getByTestId("approval-chip")).toHaveText("Needs approval");
    await expect(page.getByTestId("approval-chip")).toBeInViewport();
    await page.getByTestId("summary-bar").getByRole("button", { name: "Details" }).click();
    await expect(page.getByTestId("approval-reason")).toHaveText(["Needs a store manager: $800.00 is $300.00 over your $500.00 limit."]);
    await expect(page.getByTestId("approval-reason")).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoSeriousAxeViolations(page);
  });
});
