import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMailDev, type MailDevHandle } from "@/scripts/lib/maildev";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { startWorker } from "@/server/worker/worker";
import { until } from "@/test/support/until";
import { actorFor, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { startWarehouseHarness, type WarehouseHarness } from "@/test/warehouse-harness";
import { loadNotificationConfig } from "@/server/config/notifications";
import { createNotifier, type Notifier } from "./notifier";

// SPEC §11 + §10 end to end: the real worker asks the warehouse fake, its signed callback settles
// the wait, the saga runs, and the customer's email goes out through MailDev's real SMTP server,
// read back through MailDev's REST API (/email).
const db = getDb();
let pay: SagaHarness;
let wh: WarehouseHarness;
let mail: MailDevHandle;
let notifier: Notifier;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  pay = await startSagaHarness();
  wh = await startWarehouseHarness();
  mail = await startMailDev({ smtpPort: 0, webPort: 0 });
  notifier = createNotifier(db, loadNotificationConfig({ SMTP_URL: mail.smtpUrl, MAIL_FROM: "Shop <orders@shop.example>", SUPPORT_EMAIL: "help@shop.example" }), () => {});
  worker = await startWorker({ db, databaseUrl: process.env.DATABASE_URL!, payments: pay.payments, warehouse: wh.warehouse, adjustments: null, notifier, concurrency: 4, log: () => {} });
});
afterAll(async () => {
  await worker?.stop();
  notifier?.mailer?.close();
  await mail?.close();
  await wh?.stop();
  await pay?.stop();
});

/** One line of `quantity` units at 10.00, all released; the warehouse has `picked` of them picked already. */
async function cancelReleased(quantity: number, picked: number) {
  const email = `wm-${randomUUID().slice(0, 8)}@example.com`;
  const order = simpleOrder(quantity);
  order.customer.email = email;
  order.lines[0]!.released = quantity;
  order.lines[0]!.description = "Rain jacket";
  const { orderId } = await importForTest(order);
  wh.fake.state.setLine({ orderId, lineId: "1", sku: "SKU-1", locationId: "DC-WEST", released: quantity - picked, picked });
  const { body } = await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["1"], quantities: [quantity], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  expect(body.status).toBe("awaiting_warehouse");
  // Marked sent only once MailDev's SMTP server accepted it; then it is in MailDev's inbox.
  const sent = await until("the customer's email to be sent", async () => {
    const rows = await db.customerNotification.findMany({ where: { cancellationId: body.cancellationId } });
    return rows.some((n) => n.status === "sent") ? rows : undefined;
  });
  const inbox = (await mail.emails()).filter((e) => e.to.some((t) => t.address === email));
  expect(inbox).toHaveLength(1);
  const c = await db.cancellation.findUniqueOrThrow({ where: { id: body.cancellationId } });
  return { email: inbox[0]!, status: c.status, externalId: order.externalId, sent };
}

it("partial (2 of 3 stopped): the email names the 2 cancelled and refunded, and the 1 that could not be stopped and ships", async () => {
  const { email, status, externalId, sent } = await cancelReleased(3, 1);
  expect(status).toBe("completed");
  expect(email.subject).toBe(`Your cancellation for order ${externalId} is complete`);
  const text = email.text;
  const at = (part: string) => {
    expect(text).toContain(part);
    return text.indexOf(part);
  };
  const parts = [
    `we have cancelled these items from your order ${externalId}:`,
    "2 × Rain jacket",
    "These items could not be stopped",
    "1 × Rain jacket",
    "you are not refunded for them",
    "Your refund: $20.00",
  ].map(at);
  expect(parts).toEqual([...parts].sort((a, b) => a - b));
  expect(text).not.toContain("$30.00");
  expect(email.html).toContain("These items could not be stopped");
  expect(sent.map((n) => [n.template, n.status])).toEqual([["cancellation_completed", "sent"]]);
});

it("refused (none stopped): the email lists what could not be stopped and says nothing was cancelled and the order continues", async () => {
  const { email, status, sent } = await cancelReleased(2, 2);
  expect(status).toBe("failed");
  const text = email.text;
  // The items asked for, by the order's own description (none of them is left on the cancellation), once.
  const listed = text.indexOf("2 × Rain jacket");
  expect(listed).toBeGreaterThan(text.indexOf("we tried to cancel these items from your order"));
  expect(text.indexOf("These items could not be stopped")).toBeGreaterThan(listed);
  expect(text.split("Rain jacket")).toHaveLength(2);
  expect(text).not.toContain("SKU-1");
  expect(text).toContain("Nothing was cancelled and no money has moved: your order continues as it was.");
  expect(text).not.toContain("Something went wrong");
  expect(text).not.toContain("Your refund");
  expect(sent.map((n) => [n.template, n.status])).toEqual([["cancellation_failed", "sent"]]);
});
