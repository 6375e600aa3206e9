import { randomUUID } from "node:crypto";
import { completeManualRefundTask } from "../server/admin/operations/complete-manual-refund-task";
import type { Actor } from "../server/auth/permissions";
import { createDb, type Db } from "../server/db/client";
import { exampleA, expect, manualRefundOrder as captured, overLimit, test } from "./fixtures";
import { signInThroughForm } from "./helpers";

// Issue 15: a manual refund never reads "Completed — Done… on its way"; the requester withdraws a
// pending request. Both are checked in the browser and against the database.
let db: Db;

test.beforeAll(() => {
  const url = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("these tests complete a manual-refund task in the database: set E2E_DATABASE_URL (npm run test:e2e does)");
  db = createDb(url, 2);
});
test.afterAll(() => db?.$disconnect());

test("a manual refund reads 'Waiting for manual refund' on the status page and in the history until an admin completes it", async ({ agentPage: page, createOrder, request }) => {
  const { orderId } = await createOrder(captured);
  const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": randomUUID() },
    data: { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "manual" },
  });
  expect(submitted.status()).toBe(201);
  const { cancellationId } = (await submitted.json()) as { cancellationId: string };

  await page.goto(`/orders/${orderId}/cancellations/${cancellationId}`);
  const badge = page.getByTestId("cancellation-status");
  await expect(badge).toHaveText("Waiting for manual refund");
  await expect(page.getByTestId("cancellation-summary")).toContainText("Waiting for a manual refund by an admin (Operations → Manual refunds): $40.00 has not been refunded yet.");
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("waits for a manual refund by an admin");
  await expect(page.locator("main")).not.toContainText(/on its way|Done\./);
  const status = await request.get(`/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { headers: { Authorization: "Bearer dev-agent-key" } });
  expect(await status.json()).toMatchObject({ status: "completed", progress: { phase: "waiting_for_manual_refund" } });

  await page.goto(`/orders/${orderId}`);
  await expect(page.locator(`[role="region"][aria-label="Cancellation history"]`)).toContainText("Waiting for manual refund");

  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
  const actor: Actor = { kind: "user", userId: admin.id, email: admin.email, name: admin.name, role: "system_admin", storeIds: null, scopes: null, channel: "web" };
  const task = await db.manualRefundTask.findFirstOrThrow({ where: { cancellationId } });
  await completeManualRefundTask({ db, actor }, { taskId: task.id, reference: `BANK-${cancellationId.slice(0, 8)}` });

  await page.goto(`/orders/${orderId}/cancellations/${cancellationId}`);
  await expect(badge).toHaveText("Completed");
  await expect(page.getByTestId("cancellation-summary")).toHaveText("Done. The order is adjusted; the manual refund of $40.00 was recorded as done.");
});

test("the requester withdraws a pending request from its status page; the units are cancellable again", async ({ agentPage: page, createOrder }) => {
  const { orderId, body } = await createOrder(overLimit);
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();
  await page.getByRole("button", { name: "All remaining on the order" }).click();
  await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
  await expect(page.getByTestId("approval-reason")).toHaveText("Needs a store manager: $800.00 is $300.00 over your $500.00 limit.");
  await page.getByRole("button", { name: "Review cancellation" }).click();
  await page.getByRole("dialog", { name: "Confirm cancellation" }).getByRole("button", { name: "Confirm cancellation" }).click();
  await expect(page.getByTestId("cancellation-status")).toHaveText("Pending approval");

  await page.getByRole("button", { name: "Withdraw request" }).click();
  const dialog = page.getByRole("dialog", { name: "Withdraw this request" });
  await dialog.getByLabel("Note (optional)").fill("The customer keeps the TV after all");
  await dialog.getByRole("button", { name: "Withdraw request" }).click();
  await expect(page.getByTestId("cancellation-status")).toHaveText("Withdrawn");
  await expect(page.getByRole("button", { name: "Withdraw request" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("The customer keeps the TV after all");

  const line = await db.orderLine.findFirstOrThrow({ where: { order: { id: orderId }, lineId: "1" } });
  expect([Number(line.pendingCancel), Number(line.cancelled)]).toEqual([0, 0]);
});

test("a store manager refunds shipping by override: the preview shows it, a note is required, the timeline records it; an agent sees no overrides", async ({ page, createOrder, browser }) => {
  const { orderId, body } = await createOrder(exampleA);
  await signInThroughForm(page, "manager@example.com");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();
  await page.getByRole("button", { name: "All remaining of Oxford shirt, red, M" }).click();
  await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
  await expect(page.getByTestId("preview-total")).toHaveText("$292.28");
  await page.getByRole("checkbox", { name: /Refund shipping/ }).check();
  await expect(page.getByTestId("override-notice").first()).toContainText("$10.00 of shipping is refunded, which the shipping policy would not refund here.");
  await expect(page.getByTestId("preview-total")).toHaveText("$302.28");
  await page.getByRole("button", { name: "Review cancellation" }).click();
  await expect(page.getByText("Say in a note why you override the refund rules.")).toBeVisible();
  await page.getByLabel(/^Note/).fill("Courier lost the parcel");
  await page.getByRole("button", { name: "Review cancellation" }).click();
  await page.getByRole("dialog", { name: "Confirm cancellation" }).getByRole("button", { name: "Confirm cancellation" }).click();
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("shipping of $10.00 refunded, which the shipping policy would not refund. Note: Courier lost the parcel");

  const agent = await browser.newPage();
  await signInThroughForm(agent, "agent@example.com");
  await expect(agent.getByRole("button", { name: "Sign out" })).toBeVisible();
  await agent.goto(`/orders/${orderId}`);
  await agent.getByRole("button", { name: "All remaining of Wool scarf, charcoal" }).click();
  await expect(agent.getByTestId("preview-total")).toBeVisible();
  await expect(agent.getByRole("checkbox", { name: /Refund shipping/ })).toHaveCount(0);
  await agent.close();
});
