import { builder } from "./builder";

/*
 * SPEC §12: the seed's four statuses plus the ones SPEC §6 added. The database keeps the lowercase
 * names; `awaiting_warehouse` is SPEC §11's (the warehouse confirmation), mapped here already.
 */
export const CancellationStatus = builder.enumType("CancellationStatus", {
  values: {
    PENDING_APPROVAL: { value: "pending_approval" },
    REJECTED: { value: "rejected" },
    EXPIRED: { value: "expired" },
    WITHDRAWN: { value: "withdrawn" },
    AWAITING_WAREHOUSE: { value: "awaiting_warehouse" },
    PROCESSING: { value: "processing" },
    COMPLETED: { value: "completed" },
    FAILED: { value: "failed" },
    CANCELLED: { value: "cancelled", deprecationReason: "The seed's name; never returned: a cancelled request is EXPIRED or WITHDRAWN (SPEC §6)." },
  } as const,
});

export const RefundMethod = builder.enumType("RefundMethod", {
  values: {
    ORIGINAL: { value: "original" },
    STORE_CREDIT: { value: "store_credit" },
    MANUAL: { value: "manual" },
  } as const,
});
