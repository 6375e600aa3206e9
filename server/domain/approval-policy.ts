import { AppError, ErrorCode } from "./errors";
import { parseAmount } from "./money";
import type { ShippingPolicy } from "./refund";

/* Approval gates and business rules of SPEC §5. Money in the rules is kept as major-unit strings
 * (as admins type it) and turned into minor units here. */

export type Role = "customer_service_agent" | "store_manager" | "system_admin";
export type ApproverRole = "store_manager" | "system_admin";
/**
 * `limit`: over the requester's own limit; `manager_limit`: over the store manager's limit too
 * (10 × the agent's by default), so only a system admin may approve.
 */
export type ApprovalReason = "limit" | "velocity" | "manager_limit";

export interface ReasonCodeRule {
  code: string;
  requiresNote: boolean;
  active: boolean;
}

export interface BusinessRulesConfig {
  /** Currency → agent limit per cancellation, major-unit string. Missing currency: every agent cancellation needs approval. */
  agentLimits: Record<string, string>;
  /** Store manager limit = this × the agent limit (a positive whole number). */
  managerLimitMultiple: number;
  velocity: {
    /** Cancellations (pending or done) on at least this many OTHER orders of the customer in 24 h. */
    otherOrdersIn24h: number;
    /** Refunded in 7 days at least this × the agent limit (a positive whole number). */
    refundedMultipleOfLimitIn7d: number;
  };
  reasonCodes: ReasonCodeRule[];
  shippingPolicy: ShippingPolicy;
  approvalExpiryHours: number;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Frozen so that no caller can change the defaults for everyone; copy it to customise. */
export const DEFAULT_BUSINESS_RULES: BusinessRulesConfig = deepFreeze({
  agentLimits: { USD: "500.00", EUR: "500.00", GBP: "400.00", CAD: "650.00", AUD: "750.00", JPY: "75000" },
  managerLimitMultiple: 10,
  velocity: { otherOrdersIn24h: 3, refundedMultipleOfLimitIn7d: 2 },
  reasonCodes: [
    { code: "CUSTOMER_REQUEST", requiresNote: false, active: true },
    { code: "ITEM_UNAVAILABLE", requiresNote: false, active: true },
    { code: "PRICE_ERROR", requiresNote: false, active: true },
    { code: "DUPLICATE_ORDER", requiresNote: false, active: true },
    { code: "DELIVERY_DELAY", requiresNote: false, active: true },
    { code: "FRAUD_SUSPECTED", requiresNote: false, active: true },
    { code: "OTHER", requiresNote: true, active: true },
  ],
  shippingPolicy: "full_cancellation",
  approvalExpiryHours: 72,
});

function wholeMultiple(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `${what} must be a positive whole number`, { value });
  }
  return BigInt(value);
}

function checkedProduct(a: bigint, b: bigint): number {
  const product = a * b;
  if (product > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "Configured limit is too large", { value: product.toString() });
  }
  return Number(product);
}

/** The agent limit in minor units, or null when the currency has no limit configured. */
export function agentLimitMinor(rules: BusinessRulesConfig, currency: string): number | null {
  if (!Object.hasOwn(rules.agentLimits, currency)) return null;
  const limit = rules.agentLimits[currency];
  return limit === undefined ? null : parseAmount(limit, currency);
}

/** The store-manager limit in minor units, or null when the currency has no agent limit. */
export function managerLimitMinor(rules: BusinessRulesConfig, currency: string): number | null {
  const agent = agentLimitMinor(rules, currency);
  if (agent === null) return null;
  return checkedProduct(BigInt(agent), wholeMultiple(rules.managerLimitMultiple, "managerLimitMultiple"));
}

export interface ApprovalInput {
  role: Role;
  currency: string;
  /** Refund total of this cancellation, minor units. */
  total: number;
  rules: BusinessRulesConfig;
  velocity: {
    /** Other orders of the customer with cancellations (pending or done) in the last 24 h; this order excluded. */
    otherOrdersWithCancellations24h: number;
    /** Refunded to the customer in the last 7 days, minor units of `currency`; this cancellation excluded. */
    refunded7d: number;
  };
}

export interface ApprovalDecision {
  required: boolean;
  reasons: ApprovalReason[];
  approverRole: ApproverRole | null;
}

const NO_APPROVAL: ApprovalDecision = { required: false, reasons: [], approverRole: null };

/**
 * Whether a cancellation needs approval, why, and who may approve it. The approver is the
 * lowest role whose own limit covers the total: a store manager up to the manager limit, a
 * system admin above it. With no limit configured for the currency nobody below system_admin
 * has a limit, so such cancellations are approved by a system admin (interpretation of §5).
 * Velocity applies to agents only: managers hold override_cancellation_rules.
 */
export function evaluateApproval(input: ApprovalInput): ApprovalDecision {
  const { role, currency, total, rules, velocity } = input;
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "Refund total must be a non-negative integer of minor units", { total });
  }
  if (role === "system_admin") return { ...NO_APPROVAL, reasons: [] };

  const agentLimit = agentLimitMinor(rules, currency);
  const managerLimit = managerLimitMinor(rules, currency);
  const overManager = managerLimit === null || total > managerLimit;
  // Above a configured store-manager limit, said as such (SPEC §5); with no limit at all, `limit` says it.
  const managerReason: ApprovalReason[] = managerLimit !== null && total > managerLimit ? ["manager_limit"] : [];

  if (role === "store_manager") {
    return overManager ? { required: true, reasons: ["limit", ...managerReason], approverRole: "system_admin" } : { ...NO_APPROVAL, reasons: [] };
  }

  const reasons: ApprovalReason[] = [];
  if (agentLimit === null || total > agentLimit) reasons.push("limit", ...managerReason);
  const { tooManyOtherOrders, refundedTooMuch } = velocityClauses(rules, currency, velocity);
  if (tooManyOtherOrders || refundedTooMuch) reasons.push("velocity");
  if (reasons.length === 0) return { ...NO_APPROVAL, reasons: [] };
  return { required: true, reasons, approverRole: overManager ? "system_admin" : "store_manager" };
}

export interface VelocityClauses {
  /** The thresholds in the order's currency; the refunded one is null when the currency has no agent limit. */
  otherOrdersThreshold: number;
  refundedThreshold: number | null;
  tooManyOtherOrders: boolean;
  refundedTooMuch: boolean;
}

/** SPEC §5's two velocity clauses for these counters: the one statement evaluateApproval and the customer panel share. */
export function velocityClauses(rules: BusinessRulesConfig, currency: string, velocity: ApprovalInput["velocity"]): VelocityClauses {
  const agentLimit = agentLimitMinor(rules, currency);
  const refundedThreshold =
    agentLimit === null ? null : checkedProduct(BigInt(agentLimit), wholeMultiple(rules.velocity.refundedMultipleOfLimitIn7d, "refundedMultipleOfLimitIn7d"));
  return {
    otherOrdersThreshold: rules.velocity.otherOrdersIn24h,
    refundedThreshold,
    tooManyOtherOrders: velocity.otherOrdersWithCancellations24h >= rules.velocity.otherOrdersIn24h,
    refundedTooMuch: refundedThreshold !== null && velocity.refunded7d >= refundedThreshold,
  };
}

/** Validates a reason code and its note against the configured list. */
export function checkReason(rules: BusinessRulesConfig, code: string, note: string | undefined): void {
  const rule = rules.reasonCodes.find((r) => r.code === code && r.active);
  if (!rule) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Unknown or inactive reason code "${code}"`, { reason: code });
  }
  if (rule.requiresNote && !note?.trim()) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Reason ${code} needs a note`, { reason: code });
  }
}

/** The numbers behind an approval decision (SPEC §5: "with the limit and the excess"). */
export interface ApprovalFacts {
  /** The limit the total was held against: the agent's for an agent, the store manager's for a manager; null when none applies or none is configured. */
  limit: number | null;
  /** Whose limit `limit` is. */
  limitRole: "customer_service_agent" | "store_manager" | null;
  /** By how much the total exceeds `limit` (only when `limit` is a reason). */
  excess: number | null;
  /** The store manager's limit and the excess over it, when `manager_limit` is a reason (a system admin must approve). */
  managerLimit: number | null;
  managerExcess: number | null;
  /** The velocity counters and their thresholds, when velocity is a reason. */
  velocity: {
    otherOrdersWithCancellations24h: number;
    otherOrdersThreshold: number;
    refunded7d: number;
    refundedThreshold: number | null;
    /** Which clause asked for approval (either or both). */
    tooManyOtherOrders: boolean;
    refundedTooMuch: boolean;
  } | null;
}

export function explainApproval(input: ApprovalInput, decision: ApprovalDecision): ApprovalFacts {
  const { role, currency, total, rules, velocity } = input;
  const limit = role === "customer_service_agent" ? agentLimitMinor(rules, currency) : role === "store_manager" ? managerLimitMinor(rules, currency) : null;
  const overLimit = decision.reasons.includes("limit");
  const agentLimit = agentLimitMinor(rules, currency);
  const refundedThreshold =
    agentLimit === null ? null : checkedProduct(BigInt(agentLimit), wholeMultiple(rules.velocity.refundedMultipleOfLimitIn7d, "refundedMultipleOfLimitIn7d"));
  const managerLimit = decision.reasons.includes("manager_limit") ? managerLimitMinor(rules, currency) : null;
  return {
    limit,
    limitRole: role === "system_admin" ? null : role,
    excess: overLimit && limit !== null && total > limit ? total - limit : null,
    managerLimit,
    managerExcess: managerLimit !== null && total > managerLimit ? total - managerLimit : null,
    velocity: decision.reasons.includes("velocity")
      ? {
          otherOrdersWithCancellations24h: velocity.otherOrdersWithCancellations24h,
          otherOrdersThreshold: rules.velocity.otherOrdersIn24h,
          refunded7d: velocity.refunded7d,
          refundedThreshold,
          tooManyOtherOrders: velocity.otherOrdersWithCancellations24h >= rules.velocity.otherOrdersIn24h,
          refundedTooMuch: refundedThreshold !== null && velocity.refunded7d >= refundedThreshold,
        }
      : null,
  };
}
