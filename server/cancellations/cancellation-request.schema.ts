import { z } from "zod";

// The seed's body: parallel arrays of line ids and quantities.
export const ZCancellationRequestSchema = z
  .object({
    orderLineIds: z.array(z.string().min(1).max(100)).min(1, "choose at least one line").max(500),
    quantities: z.array(z.number().int("quantities are whole numbers").positive("quantities are at least 1")).min(1).max(500),
    reason: z.string().min(1).max(50),
    note: z.string().trim().max(1000).optional(),
    refundMethod: z.enum(["original", "store_credit", "manual"]),
    previewVersion: z.number().int().positive().optional(),
    /** Email the customer about this cancellation (default true); the choice is stored with it. */
    notifyCustomer: z.boolean().optional(),
    // SPEC §5: store managers and admins only (override_cancellation_rules), with a note.
    overrides: z
      .object({ refundShipping: z.boolean().optional(), noRefund: z.boolean().optional() })
      .strict()
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.orderLineIds.length !== body.quantities.length) {
      ctx.addIssue({ code: "custom", path: ["quantities"], message: "orderLineIds and quantities must have the same length" });
    }
    const seen = new Set<string>();
    body.orderLineIds.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: "custom", path: ["orderLineIds", i], message: `line "${id}" appears twice` });
      seen.add(id);
    });
    if (body.overrides?.refundShipping && body.overrides.noRefund) {
      ctx.addIssue({ code: "custom", path: ["overrides"], message: "choose one override: refundShipping (refund shipping) or noRefund (cancel with no refund), not both" });
    }
  });

/** Whether the request asks for any override (an object of only `false`s asks for none). */
export function requestsOverride(request: Pick<TCancellationRequest, "overrides">): boolean {
  return request.overrides?.refundShipping === true || request.overrides?.noRefund === true;
}

export type TCancellationRequest = z.output<typeof ZCancellationRequestSchema>;
