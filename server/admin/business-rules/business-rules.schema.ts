import { z } from "zod";
import { agentLimitMinor, managerLimitMinor, type BusinessRulesConfig } from "@/server/domain/approval-policy";
import { isKnownCurrency } from "@/server/domain/currency";
import { isAppError } from "@/server/domain/errors";

const ZReasonCode = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z0-9_]{1,39}$/, "reason codes are 2–40 capital letters, digits or underscores, starting with a letter"),
  requiresNote: z.boolean(),
  active: z.boolean(),
});

/** SPEC §5's rules as an admin saves them; amounts are checked against their currency's minor unit. */
export const ZBusinessRulesSchema = z
  .object({
    agentLimits: z.record(z.string(), z.string().trim()),
    managerLimitMultiple: z.number().int("a whole number").min(1).max(1000),
    velocity: z.object({
      otherOrdersIn24h: z.number().int("a whole number").min(1).max(1000),
      refundedMultipleOfLimitIn7d: z.number().int("a whole number").min(1).max(1000),
    }),
    reasonCodes: z.array(ZReasonCode).min(1).max(100),
    shippingPolicy: z.enum(["full_cancellation", "never"]),
    approvalExpiryHours: z.number().int("a whole number of hours").min(1).max(24 * 30),
  })
  .superRefine((rules, ctx) => {
    for (const currency of Object.keys(rules.agentLimits)) {
      const path = ["agentLimits", currency];
      if (!isKnownCurrency(currency)) {
        ctx.addIssue({ code: "custom", path, message: `${currency || "(empty)"} is not an ISO 4217 currency code` });
        continue;
      }
      try {
        agentLimitMinor(rules as BusinessRulesConfig, currency);
        managerLimitMinor(rules as BusinessRulesConfig, currency);
      } catch (error) {
        ctx.addIssue({ code: "custom", path, message: isAppError(error) ? error.message : `not a valid ${currency} amount` });
      }
    }
    const seen = new Set<string>();
    rules.reasonCodes.forEach((r, i) => {
      if (seen.has(r.code)) ctx.addIssue({ code: "custom", path: ["reasonCodes", i, "code"], message: `reason code ${r.code} appears twice` });
      seen.add(r.code);
    });
    if (!rules.reasonCodes.some((r) => r.active)) {
      ctx.addIssue({ code: "custom", path: ["reasonCodes"], message: "at least one reason code must stay active" });
    }
  });

export const ZSaveBusinessRulesSchema = z.object({
  /** The version the admin edited; a save on top of a newer one is refused. */
  baseVersion: z.number().int().min(0),
  rules: ZBusinessRulesSchema,
});

export type TSaveBusinessRulesInput = z.input<typeof ZSaveBusinessRulesSchema>;
