import { getConfig } from "@/server/config";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import { ZCancellationRequestSchema } from "@/server/cancellations/cancellation-request.schema";
import { planCancellation } from "@/server/cancellations/preview-cancellation";
import type { Db } from "@/server/db/client";
import { refundRoute } from "./customer-message";
import { maskRecipient, usableLocale } from "./format";
import { renderCustomerEmail } from "./templates/customer-email";
import type { CustomerMessage } from "./templates/model";

/**
 * The email the customer will get when the cancellation the agent is about to
 * confirm completes: the same plan as the refund preview, the same template as
 * the worker sends. Changes nothing.
 */
export async function previewCustomerEmail({ db, actor }: { db: Db; actor: Actor }, orderId: string, input: unknown) {
  const request = ZCancellationRequestSchema.parse(input);
  const plan = await planCancellation(db, actor, orderId, request);
  const { order, breakdown } = plan;
  const tenders = new Map(order.tenders.map((t) => [t.tenderId, t]));
  const lines = new Map(order.lines.map((l) => [l.lineId, l]));
  const { supportEmail } = getConfig().notifications;
  const message: CustomerMessage = {
    template: "cancellation_completed",
    locale: usableLocale(order.customerLocale),
    currency: order.currency,
    customerName: order.customerName,
    orderExternalId: order.externalId,
    items: breakdown.lines.map((l) => ({ description: lines.get(l.lineId)?.description.trim() || lines.get(l.lineId)?.sku || l.lineId, quantity: Number(l.quantity) })),
    refunds: plan.allocation
      .filter((a) => a.amount > 0)
      .map((a) => ({ route: refundRoute({ operation: a.operation, status: "pending", tender: tenders.get(a.tenderId) ?? null }), amount: a.amount })),
    refundTotal: breakdown.totals.total,
    shippingRefunded: breakdown.totals.shipping + breakdown.totals.shippingTax > 0,
    supportEmail,
  };
  const email = await renderCustomerEmail(message);
  return {
    to: hasPermission(actor, "read_order_pii") ? order.customerEmail : maskRecipient(order.customerEmail),
    subject: email.subject,
    text: email.text,
    /** A request that needs approval is emailed only once it is approved and completed. */
    sentWhen: plan.approval.required ? ("after_approval" as const) : ("on_completion" as const),
  };
}
