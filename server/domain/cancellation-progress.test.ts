import { describe, expect, it } from "vitest";
import { describeProgress, type ProgressAllocation, type ProgressInput } from "./cancellation-progress";

const visa = { provider: "stripe", method: "card", brand: "visa", last4: "4242" };
const reversal = (over: Partial<ProgressAllocation> = {}): ProgressAllocation => ({
  operation: "reversal", status: "pending", amount: 19485, providerReference: null, attempts: 0, lastError: null, tender: visa, ...over,
});
const base = (over: Partial<ProgressInput> = {}): ProgressInput => ({
  status: "processing", currency: "USD", approverRole: null, orderAdjusted: true, inventoryReleased: false, noRefund: false,
  allocations: [reversal()], manualTasks: [], ...over,
});

describe("describeProgress", () => {
  it("a completed cancellation with an open manual-refund task waits for it and never reads done or on its way", () => {
    const p = describeProgress(base({
      status: "completed", inventoryReleased: true,
      allocations: [reversal({ status: "manual_required" })],
      manualTasks: [{ status: "open", amount: 19485 }],
    }));
    expect(p.phase).toBe("waiting_for_manual_refund");
    expect(p.label).toBe("Waiting for manual refund");
    expect(p.summary).toContain("Waiting for a manual refund by an admin");
    expect(p.summary).toContain("$194.85");
    expect(p.summary).not.toMatch(/done|on its way/i);
    expect(p.manualRefund).toEqual({ open: 1, amount: "194.85" });
  });

  it("once the task is done, the same cancellation reads done", () => {
    const p = describeProgress(base({
      status: "completed", inventoryReleased: true,
      allocations: [reversal({ status: "manual_required" })],
      manualTasks: [{ status: "done", amount: 19485 }],
    }));
    expect([p.phase, p.label, p.manualRefund]).toEqual(["done", "Completed", null]);
    expect(p.summary).toBe("Done. The order is adjusted; the manual refund of $194.85 was recorded as done.");
  });

  it("a completed one says what happened to the money, per payment", () => {
    const p = describeProgress(base({
      status: "completed", inventoryReleased: true,
      allocations: [reversal({ status: "succeeded", amount: 871 }), { ...reversal(), operation: "refund", status: "succeeded", amount: 5000, tender: { provider: "internal", method: "gift_card", brand: null, last4: null } }],
    }));
    expect(p.summary).toBe("Done. The order is adjusted; the $8.71 hold on Visa •••• 4242 was released; $50.00 was refunded to the gift card.");
  });

  it("processing says which step it waits for", () => {
    expect(describeProgress(base({ orderAdjusted: false })).phase).toBe("adjusting_order");
    expect(describeProgress(base()).summary).toBe("The order is adjusted. Sending the release of the $194.85 hold on Visa •••• 4242 to Stripe.");
    const waiting = describeProgress(base({ allocations: [reversal({ providerReference: "psp_1", tender: { ...visa, provider: "adyen" } })] }));
    expect([waiting.phase, waiting.summary]).toEqual(["waiting_for_provider", "The order is adjusted. Waiting for Adyen to confirm the release of the $194.85 hold on Visa •••• 4242."]);
    const retrying = describeProgress(base({ allocations: [reversal({ attempts: 2, lastError: "circuit breaker open" })] }));
    expect(retrying.phase).toBe("retrying_payment");
    expect(retrying.summary).toContain("circuit breaker open");
    expect(describeProgress(base({ allocations: [reversal({ status: "succeeded" })] })).phase).toBe("releasing_inventory");
    const manualMidway = describeProgress(base({ allocations: [reversal({ status: "manual_required" })], manualTasks: [{ status: "open", amount: 19485 }] }));
    expect(manualMidway.phase).toBe("waiting_for_manual_refund");
  });

  it("names the approver, and the ends that moved no money", () => {
    expect(describeProgress(base({ status: "pending_approval", approverRole: "system_admin" })).summary).toContain("by a system admin");
    for (const status of ["failed", "rejected", "expired", "withdrawn"]) {
      const p = describeProgress(base({ status }));
      expect(p.phase).toBe(status);
      expect(p.summary).toContain("no money moved");
    }
    expect(describeProgress(base({ status: "completed", inventoryReleased: true, allocations: [], noRefund: true })).summary).toContain("with no refund");
    expect(describeProgress(base({ status: "completed", inventoryReleased: false, allocations: [reversal({ status: "succeeded" })] })).summary).toContain("stock release is being retried");
  });
  it("processing says which step it waits for: a provider behind an open breaker, one that will confirm, a retry, the stock", () => {
    const breaker = describeProgress(base({ allocations: [reversal({ attempts: 2, lastError: "timeout" })], openBreakers: ["stripe"] }));
    expect([breaker.phase, breaker.label]).toEqual(["waiting_for_provider", "Processing"]);
    expect(breaker.summary).toBe(
      "The order is adjusted. Waiting for Stripe to recover: its circuit breaker is open after repeated failures. The release of the $194.85 hold on Visa •••• 4242 is retried under the same key when it answers again.",
    );
    // Another provider's open breaker does not hold this one up.
    expect(describeProgress(base({ allocations: [reversal({ attempts: 1, lastError: "timeout" })], openBreakers: ["adyen"] })).summary).toBe(
      "The order is adjusted. Retrying the release of the $194.85 hold on Visa •••• 4242 at Stripe (last attempt: timeout).",
    );
    expect(describeProgress(base({ allocations: [reversal({ providerReference: "psp_1", tender: { ...visa, provider: "adyen" } })] })).summary).toBe(
      "The order is adjusted. Waiting for Adyen to confirm the release of the $194.85 hold on Visa •••• 4242.",
    );
    expect(describeProgress(base({ allocations: [reversal({ status: "succeeded" })] })).summary).toBe("The order is adjusted and the payments are settled. Releasing the stock at the warehouse.");
    expect(describeProgress(base({ orderAdjusted: false })).summary).toBe("Adjusting the order: the units are being cancelled.");
  });
});
