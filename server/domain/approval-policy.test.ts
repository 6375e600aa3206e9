import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agentLimitMinor,
  checkReason,
  DEFAULT_BUSINESS_RULES as rules,
  evaluateApproval,
  explainApproval,
  managerLimitMinor,
  type ApprovalInput,
  type Role,
  velocityClauses,
} from "./approval-policy";
import { AppError } from "./errors";
import { parseAmount } from "./money";

const calm = { otherOrdersWithCancellations24h: 0, refunded7d: 0 };

function decide(role: Role, currency: string, total: string, velocity: ApprovalInput["velocity"] = calm) {
  return evaluateApproval({ role, currency, total: parseAmount(total, currency), rules, velocity });
}

describe("limits in minor units", () => {
  it.each([
    ["USD", 50000, 500000], ["EUR", 50000, 500000], ["GBP", 40000, 400000],
    ["CAD", 65000, 650000], ["AUD", 75000, 750000], ["JPY", 75000, 750000],
  ])("%s agent %i, manager %i", (currency, agent, manager) => {
    expect(agentLimitMinor(rules, currency)).toBe(agent);
    expect(managerLimitMinor(rules, currency)).toBe(manager);
  });

  it("has no limit for a currency missing from the table", () => {
    expect(agentLimitMinor(rules, "KWD")).toBeNull();
    expect(managerLimitMinor(rules, "KWD")).toBeNull();
    expect(agentLimitMinor(rules, "toString")).toBeNull();
  });

  it("refuses a manager multiple that is not a positive whole number", () => {
    expect(() => managerLimitMinor({ ...rules, managerLimitMultiple: 2.5 }, "USD")).toThrowError(AppError);
  });
});

describe("evaluateApproval", () => {
  it.each([
    ["customer_service_agent", "USD", "500.00", false, [], null],
    ["customer_service_agent", "USD", "500.01", true, ["limit"], "store_manager"],
    ["customer_service_agent", "USD", "5000.00", true, ["limit"], "store_manager"],
    ["customer_service_agent", "USD", "5000.01", true, ["limit", "manager_limit"], "system_admin"],
    ["customer_service_agent", "GBP", "400.01", true, ["limit"], "store_manager"],
    ["customer_service_agent", "JPY", "75000", false, [], null],
    ["customer_service_agent", "JPY", "75001", true, ["limit"], "store_manager"],
    ["customer_service_agent", "KWD", "0.001", true, ["limit"], "system_admin"],
    ["customer_service_agent", "SEK", "0.00", true, ["limit"], "system_admin"],
    ["store_manager", "USD", "5000.00", false, [], null],
    ["store_manager", "USD", "5000.01", true, ["limit", "manager_limit"], "system_admin"],
    ["store_manager", "CAD", "6500.01", true, ["limit", "manager_limit"], "system_admin"],
    ["store_manager", "KWD", "1.000", true, ["limit"], "system_admin"],
    ["system_admin", "USD", "999999.99", false, [], null],
    ["system_admin", "KWD", "1.000", false, [], null],
  ] as const)("%s cancelling %s %s", (role, currency, total, required, reasons, approverRole) => {
    expect(decide(role, currency, total)).toEqual({ required, reasons, approverRole });
  });

  it("flags velocity for cancellations on 3 other orders in 24 h", () => {
    const v = { otherOrdersWithCancellations24h: 3, refunded7d: 0 };
    expect(decide("customer_service_agent", "USD", "10.00", v)).toEqual({ required: true, reasons: ["velocity"], approverRole: "store_manager" });
    expect(decide("customer_service_agent", "USD", "10.00", { ...v, otherOrdersWithCancellations24h: 2 }).required).toBe(false);
  });

  it("flags velocity when 2 × the agent limit was refunded in 7 days", () => {
    const v = { otherOrdersWithCancellations24h: 0, refunded7d: 100000 };
    expect(decide("customer_service_agent", "USD", "10.00", v)).toEqual({ required: true, reasons: ["velocity"], approverRole: "store_manager" });
    expect(decide("customer_service_agent", "USD", "10.00", { ...v, refunded7d: 99999 }).required).toBe(false);
  });

  it("reports limit and velocity together", () => {
    const v = { otherOrdersWithCancellations24h: 5, refunded7d: 200000 };
    expect(decide("customer_service_agent", "EUR", "600.00", v)).toEqual({ required: true, reasons: ["limit", "velocity"], approverRole: "store_manager" });
    expect(decide("customer_service_agent", "KWD", "1.000", v)).toEqual({ required: true, reasons: ["limit", "velocity"], approverRole: "system_admin" });
  });

  it("does not apply velocity to store managers or system admins", () => {
    const v = { otherOrdersWithCancellations24h: 10, refunded7d: 10_000_000 };
    expect(decide("store_manager", "USD", "10.00", v).required).toBe(false);
    expect(decide("system_admin", "USD", "10.00", v).required).toBe(false);
  });

  it("follows configured rules", () => {
    const custom = { ...rules, agentLimits: { ...rules.agentLimits, KWD: "150.000" }, managerLimitMultiple: 2 };
    const input = (total: number) => ({ role: "customer_service_agent" as const, currency: "KWD", total, rules: custom, velocity: calm });
    expect(evaluateApproval(input(150000)).required).toBe(false);
    expect(evaluateApproval(input(150001)).approverRole).toBe("store_manager");
    expect(evaluateApproval(input(300001)).approverRole).toBe("system_admin");
  });

  it("refuses a bad total", () => {
    expect(() => evaluateApproval({ role: "store_manager", currency: "USD", total: -1, rules, velocity: calm })).toThrowError(AppError);
  });
});

describe("DEFAULT_BUSINESS_RULES", () => {
  it("holds the SPEC §5 defaults and cannot be changed in place", () => {
    expect(rules.agentLimits).toEqual({ USD: "500.00", EUR: "500.00", GBP: "400.00", CAD: "650.00", AUD: "750.00", JPY: "75000" });
    expect([rules.managerLimitMultiple, rules.velocity, rules.shippingPolicy, rules.approvalExpiryHours]).toEqual([
      10, { otherOrdersIn24h: 3, refundedMultipleOfLimitIn7d: 2 }, "full_cancellation", 72,
    ]);
    expect(rules.reasonCodes.filter((r) => r.requiresNote).map((r) => r.code)).toEqual(["OTHER"]);
    expect(rules.reasonCodes).toHaveLength(7);
    expect(() => {
      rules.agentLimits.USD = "1.00";
    }).toThrow(TypeError);
  });
});

describe("checkReason", () => {
  it("accepts active codes and asks a note for OTHER", () => {
    expect(() => checkReason(rules, "CUSTOMER_REQUEST", undefined)).not.toThrow();
    expect(() => checkReason(rules, "OTHER", "customer moved")).not.toThrow();
    expect(() => checkReason(rules, "OTHER", "  ")).toThrowError(/needs a note/);
    expect(() => checkReason(rules, "NOPE", "x")).toThrowError(/Unknown/);
    const inactive = { ...rules, reasonCodes: rules.reasonCodes.map((r) => ({ ...r, active: r.code !== "PRICE_ERROR" })) };
    expect(() => checkReason(inactive, "PRICE_ERROR", undefined)).toThrowError(/inactive/);
  });
});

describe("explainApproval (SPEC §5: the limit and the excess)", () => {
  const explain = (role: Role, currency: string, total: string, velocity: ApprovalInput["velocity"] = calm) => {
    const input = { role, currency, total: parseAmount(total, currency), rules, velocity };
    return explainApproval(input, evaluateApproval(input));
  };

  it("an agent's $612.40 is $112.40 over the agent's $500.00 limit", () => {
    expect(explain("customer_service_agent", "USD", "612.40")).toEqual({ limit: 50000, limitRole: "customer_service_agent", excess: 11240, managerLimit: null, managerExcess: null, velocity: null });
    expect(explain("customer_service_agent", "USD", "500.00")).toMatchObject({ limit: 50000, excess: null });
  });

  it("a manager is held against the manager limit; an admin against none; a currency without a limit has none", () => {
    expect(explain("store_manager", "USD", "5000.01")).toMatchObject({ limit: 500000, limitRole: "store_manager", excess: 1, managerLimit: 500000, managerExcess: 1 });
    // SPEC §5 manager_limit: an agent's 6,000.00 is over the agent's 500.00 and the store manager's 5,000.00.
    expect(explain("customer_service_agent", "USD", "6000.00")).toMatchObject({ limit: 50000, excess: 550000, managerLimit: 500000, managerExcess: 100000 });
    expect(explain("customer_service_agent", "USD", "5000.00")).toMatchObject({ managerLimit: null, managerExcess: null });
    expect(explain("system_admin", "USD", "9000.00")).toEqual({ limit: null, limitRole: null, excess: null, managerLimit: null, managerExcess: null, velocity: null });
    expect(explain("customer_service_agent", "KWD", "1.000")).toMatchObject({ limit: null, excess: null });
  });

  it("velocity names its counters, thresholds and which clause fired", () => {
    const many = explain("customer_service_agent", "USD", "10.00", { otherOrdersWithCancellations24h: 3, refunded7d: 2000 });
    expect(many.velocity).toEqual({ otherOrdersWithCancellations24h: 3, otherOrdersThreshold: 3, refunded7d: 2000, refundedThreshold: 100000, tooManyOtherOrders: true, refundedTooMuch: false });
    expect(many.excess).toBeNull();
    const refunded = explain("customer_service_agent", "USD", "10.00", { otherOrdersWithCancellations24h: 0, refunded7d: 100000 });
    expect(refunded.velocity).toMatchObject({ tooManyOtherOrders: false, refundedTooMuch: true });
  });
});

describe("manager_limit (property)", () => {
  it("said exactly when the total is above the store manager's limit; then only a system admin approves, and the excesses agree", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Role>("customer_service_agent", "store_manager"),
        fc.constantFrom("USD", "EUR", "GBP", "CAD", "AUD", "JPY"),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        (role, currency, multiple, total) => {
          const custom = { ...rules, managerLimitMultiple: multiple };
          const input: ApprovalInput = { role, currency, total, rules: custom, velocity: calm };
          const decision = evaluateApproval(input);
          const facts = explainApproval(input, decision);
          const agent = agentLimitMinor(custom, currency)!;
          const manager = managerLimitMinor(custom, currency)!;
          expect(manager).toBe(agent * multiple);
          expect(decision.reasons.includes("manager_limit")).toBe(total > manager);
          if (total > manager) {
            expect(decision).toMatchObject({ required: true, approverRole: "system_admin" });
            expect(decision.reasons).toContain("limit");
            expect([facts.managerLimit, facts.managerExcess]).toEqual([manager, total - manager]);
            if (role === "customer_service_agent") expect(facts.excess! - facts.managerExcess!).toBe(manager - agent);
          } else {
            expect([facts.managerLimit, facts.managerExcess]).toEqual([null, null]);
            if (decision.required) expect(decision.approverRole).toBe("store_manager");
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("velocityClauses (the counters the customer panel shows)", () => {
  it("says velocity exactly when an agent's small cancellation is held for velocity", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 300_000 }), fc.constantFrom("USD", "JPY", "CHF"), (others, refunded, currency) => {
        const velocity = { otherOrdersWithCancellations24h: others, refunded7d: refunded };
        const clauses = velocityClauses(rules, currency, velocity);
        const decision = evaluateApproval({ role: "customer_service_agent", currency, total: 0, rules, velocity });
        expect(decision.reasons.includes("velocity")).toBe(clauses.tooManyOtherOrders || clauses.refundedTooMuch);
      }),
    );
  });

  it("names the thresholds: 3 other orders, 2 × the agent limit refunded (none without a limit)", () => {
    expect(velocityClauses(rules, "USD", calm)).toEqual({ otherOrdersThreshold: 3, refundedThreshold: 100_000, tooManyOtherOrders: false, refundedTooMuch: false });
    expect(velocityClauses(rules, "CHF", { otherOrdersWithCancellations24h: 3, refunded7d: 10 ** 9 })).toEqual({ otherOrdersThreshold: 3, refundedThreshold: null, tooManyOtherOrders: true, refundedTooMuch: false });
  });
});
