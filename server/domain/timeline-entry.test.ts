import { describe, expect, it } from "vitest";
import { renderTimelineEntry, type TimelineData, type TimelineKind, timelineText } from "./timeline-entry";

const agent = { id: "0b4c7a52-9d3e-4f1a-8c21-5e6f7a8b9c0d", name: "Alex Agent", role: "customer_service_agent" };
const manager = { id: "1c5d8b63-0e4f-4a2b-9d32-6f7a8b9c0d1e", name: "Mia Manager", role: "store_manager" };
const admin = { id: "2d6e9c74-1f5a-4b3c-8e43-7a8b9c0d1e2f", name: "Ada Admin", role: "system_admin" };
const shirt = { lineId: "1", sku: "SKU-RED-M", product: "Oxford shirt, red, M", quantity: 2, locationId: "DC-EAST" };
const visa = { method: "card", brand: "visa", last4: "4242" };
const payment = (result: Extract<TimelineData, { kind: "payment" }>["result"], over: Partial<Extract<TimelineData, { kind: "payment" }>> = {}): TimelineData => ({
  kind: "payment", operation: "reversal", currency: "USD", amount: 19485, tender: visa, result, ...over,
});

/** One entry of every kind with what it must read: the Record makes a new kind without a case a type error. */
const EVERY_KIND: Record<TimelineKind, [TimelineData, string]> = {
  requested: [{ kind: "requested", actor: agent, channel: "api", notifyCustomer: false }, "Requested by Alex Agent (customer service agent) in the API; the customer is not to be emailed"],
  override_applied: [
    { kind: "override_applied", actor: manager, currency: "EUR", noRefund: true, waived: 4599, shippingAdded: 0, note: "exchange" },
    "Override by Mia Manager (store manager): cancelled with no refund; €45.99 stays with the merchant. Note: exchange",
  ],
  approval_needed: [
    {
      kind: "approval_needed", currency: "USD", total: 80000, reasons: ["limit", "velocity"], approverRole: "store_manager", limitRole: "customer_service_agent",
      limit: 50000, excess: 30000, managerLimit: null, managerExcess: null,
      velocity: { otherOrders24h: 3, tooManyOtherOrders: true, refunded7d: 0, refundedTooMuch: false },
    },
    "Needs approval by a store manager: $800.00 is $300.00 over the customer service agent's $500.00 limit; the customer had cancellations on 3 other orders in the last 24 hours",
  ],
  approval_decided: [{ kind: "approval_decided", decision: "rejected", actor: manager, note: "customer called back" }, "Rejected by Mia Manager (store manager): customer called back"],
  withdrawn: [{ kind: "withdrawn", actor: admin, byRequester: false, note: null }, "Withdrawn by Ada Admin (a system admin); the held units are cancellable again"],
  approval_expired: [{ kind: "approval_expired" }, "Nobody decided in time; the held units are cancellable again"],
  warehouse_requested: [{ kind: "warehouse_requested", lines: [shirt] }, "Asking the warehouse to stop 2 × Oxford shirt, red, M at DC-EAST"],
  warehouse_sent: [{ kind: "warehouse_sent" }, "The warehouse took the request; waiting for its answer"],
  warehouse_refused_request: [{ kind: "warehouse_refused_request", message: "order already picked" }, "The warehouse refused the request: order already picked"],
  warehouse_timed_out: [{ kind: "warehouse_timed_out", minutes: 240 }, "No answer from the warehouse within 240 min; the units not answered count as refused"],
  warehouse_line_answered: [
    { kind: "warehouse_line_answered", line: { ...shirt, quantity: 3 }, requested: 3, stopped: 2, via: "queue" },
    "Oxford shirt, red, M at DC-EAST: 2 of 3 stopped; 1 could not be stopped and will ship (message from the warehouse)",
  ],
  warehouse_settled: [{ kind: "warehouse_settled", currency: "GBP", total: 12990, upTo: 19485, nothingLeft: false }, "The refund is £129.90 for the units stopped (it was up to £194.85)"],
  warehouse_nothing_stopped: [{ kind: "warehouse_nothing_stopped" }, "The warehouse stopped none of the units: nothing is cancelled and no money moves; the units will ship"],
  order_adjusted: [{ kind: "order_adjusted", orderStatus: "PARTIALLY_CANCELLED" }, "The order is now partly cancelled"],
  shipping_added: [
    { kind: "shipping_added", currency: "JPY", shipping: 500, shippingTax: 50, noRefund: false, unrefundable: true },
    "The order is now fully cancelled: shipping refund of ¥550 added (¥500 shipping, ¥50 tax); the payments cannot take it, so a person refunds it",
  ],
  inventory_released: [{ kind: "inventory_released", lines: [shirt, { ...shirt, lineId: "2", sku: "SKU-NO-NAME", product: " ", quantity: 1 }] }, "2 × Oxford shirt, red, M released at DC-EAST; 1 × SKU-NO-NAME released at DC-EAST"],
  inventory_retry: [{ kind: "inventory_retry", error: "connection reset" }, "Alert: inventory release failed (connection reset); retrying in the background"],
  payment: [payment({ kind: "succeeded" }), "Release the $194.85 hold on Visa •••• 4242"],
  completed: [{ kind: "completed", currency: "EUR", waitingForManualRefund: 2000 }, "Order adjusted; €20.00 waits for a manual refund by an admin (Operations → Manual refunds)"],
  manual_refunds_done: [{ kind: "manual_refunds_done" }, "Completed: every manual refund is done"],
  manual_refund_done: [{ kind: "manual_refund_done", actor: admin, currency: "JPY", amount: 1064, reference: "BANK-77" }, "Manual refund of ¥1,064 done by Ada Admin (system admin) (reference BANK-77)"],
  compensated: [{ kind: "compensated", reason: "The order could not be updated" }, "The order could not be updated; held units and amounts released"],
  dead_letter: [{ kind: "dead_letter", attempts: 5, error: "timeout" }, "Gave up after 5 attempts: timeout"],
  dead_letter_retried: [{ kind: "dead_letter_retried", actor: admin }, "Queued again by Ada Admin (system admin)"],
  dead_letter_resolved: [{ kind: "dead_letter_resolved", actor: admin, note: "refunded by hand" }, "Resolved without a retry by Ada Admin (system admin): refunded by hand"],
  notification: [{ kind: "notification", result: "sent", to: "a•••@example.com", reason: null }, "Email sent to a•••@example.com"],
};

describe("timelineText", () => {
  it.each(Object.entries(EVERY_KIND))("%s reads in words", (_kind, [data, text]) => {
    expect(timelineText(data)).toBe(text);
  });

  it("no kind's words carry a raw enum, role code, order status or the actor's id", () => {
    for (const [data] of Object.values(EVERY_KIND)) {
      const text = timelineText(data);
      expect(text).not.toMatch(/customer_service_agent|store_manager|system_admin|PARTIALLY_CANCELLED|[a-z]+_[a-z]+/);
      for (const a of [agent, manager, admin]) expect(text).not.toContain(a.id);
    }
  });

  it("money is formatted in the entry's currency: EUR, GBP and JPY (no minor unit)", () => {
    expect(timelineText(payment({ kind: "succeeded" }, { operation: "refund", currency: "EUR", amount: 29738, tender: { method: "paypal" } }))).toBe("Refund €297.38 to PayPal");
    expect(timelineText(payment({ kind: "succeeded" }, { operation: "refund", currency: "GBP", amount: 100000, tender: { method: "card", brand: "mastercard", last4: "5454" } }))).toBe("Refund £1,000.00 to Mastercard •••• 5454");
    expect(timelineText(payment({ kind: "succeeded" }, { operation: "reversal", currency: "JPY", amount: 1064 }))).toBe("Release the ¥1,064 hold on Visa •••• 4242");
    expect(timelineText(payment({ kind: "succeeded" }, { operation: "store_credit", currency: "EUR", amount: 5, tender: null }))).toBe("Issue €0.05 as store credit");
  });

  it("every payment outcome names the provider in words", () => {
    expect(timelineText(payment({ kind: "accepted", provider: "adyen" }))).toBe("Release the $194.85 hold on Visa •••• 4242: Adyen accepted it and will confirm");
    expect(timelineText(payment({ kind: "retry", provider: "stripe", lastOutcome: "timeout: no answer", retryInSeconds: 4 }))).toBe(
      "Release the $194.85 hold on Visa •••• 4242: Stripe's answer is unknown (timeout: no answer); retrying in 4 s with the same key",
    );
    expect(timelineText(payment({ kind: "retry", provider: "stripe", lastOutcome: null, retryInSeconds: 1 }))).not.toContain("null");
    expect(timelineText(payment({ kind: "manual", origin: "declined", reason: "card_declined" }, { operation: "refund" }))).toBe(
      "Refund $194.85 to Visa •••• 4242: the provider declined; manual-refund task created (card_declined)",
    );
    expect(timelineText(payment({ kind: "confirmed_late", provider: "paypal", reference: "CAP-1", paidTwiceReferences: [] }))).toBe(
      "Release the $194.85 hold on Visa •••• 4242: PayPal confirmed CAP-1 late; the manual-refund task was closed",
    );
    expect(timelineText(payment({ kind: "confirmed_late", provider: "paypal", reference: "CAP-1", paidTwiceReferences: ["BANK-1"] }))).toContain("the customer was paid twice");
  });

  it("the other notification outcomes, approvals with and without a note, a requester's withdrawal", () => {
    expect(timelineText({ kind: "notification", result: "skipped", to: null, reason: "the requester chose not to email the customer" })).toBe("Email not sent: the requester chose not to email the customer");
    expect(timelineText({ kind: "notification", result: "retry", to: "a•••@example.com", reason: "421 busy" })).toBe("Email to a•••@example.com not sent yet (421 busy); trying again");
    expect(timelineText({ kind: "notification", result: "failed", to: "a•••@example.com", reason: "550 no such user" })).toBe("Email could not be sent to a•••@example.com: 550 no such user");
    expect(timelineText({ kind: "approval_decided", decision: "approved", actor: manager, note: null })).toBe("Approved by Mia Manager (store manager)");
    expect(timelineText({ kind: "withdrawn", actor: agent, byRequester: true, note: "wrong order" })).toBe("Withdrawn by Alex Agent (the requester): wrong order; the held units are cancellable again");
    expect(timelineText({ kind: "completed", currency: "USD", waitingForManualRefund: 0 })).toBe("Completed");
  });
});

describe("renderTimelineEntry", () => {
  it("renders from the facts, not the stored text (which may be older wording)", () => {
    expect(renderTimelineEntry({ data: { kind: "order_adjusted", orderStatus: "CANCELLED" }, detail: "Order is now CANCELLED" })).toBe("The order is now cancelled");
  });

  it("an entry with no facts keeps its stored text, and an entry with no text and no facts none", () => {
    expect(renderTimelineEntry({ data: null, detail: "Refund 297.38 EUR on P1" })).toBe("Refund 297.38 EUR on P1");
    expect(renderTimelineEntry({ detail: "Order is now PARTIALLY_CANCELLED" })).toBe("Order is now PARTIALLY_CANCELLED");
    expect(renderTimelineEntry({ data: null, detail: null })).toBeNull();
  });

  it("facts of a kind this version does not know, or of a broken shape, keep the stored text", () => {
    expect(renderTimelineEntry({ data: { kind: "teleported" }, detail: "stored words" })).toBe("stored words");
    expect(renderTimelineEntry({ data: { kind: "inventory_released" }, detail: "stored words" })).toBe("stored words");
    expect(renderTimelineEntry({ data: "not an object", detail: "stored words" })).toBe("stored words");
  });
});
