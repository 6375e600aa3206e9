import { type Actor, hasPermission } from "@/server/auth/permissions";

/*
 * The one place that decides what a person sees of a payment (SPEC §1). With
 * read_payment_information: everything. Without: the method, the card's brand and last 4, and
 * of a gift card or store-credit account the last 4 of its number; never a PaymentIntent, refund
 * or PSP reference, PayPal id, or a full account number, whether in a field, in the timeline's
 * text or in an audit entry's details. The order view, the cancellation view (its refund
 * details and timeline), the approval screens and the audit log's viewer and export use it.
 */

export interface PaymentViewer {
  full: boolean;
}

export function paymentViewerFor(actor: Pick<Actor, "role"> | null): PaymentViewer {
  return { full: actor !== null && hasPermission(actor as Actor, "read_payment_information") };
}

const STORED_VALUE = new Set(["gift_card", "store_credit"]);
const HIDDEN = "[payment reference hidden]";

/** A reference as this viewer may see it: itself, the last 4 of a stored-value account, or null. */
export function paymentReference(viewer: PaymentViewer, reference: string | null | undefined, method: string | null | undefined): string | null {
  if (reference === null || reference === undefined) return null;
  if (viewer.full) return reference;
  if (method && STORED_VALUE.has(method)) return `****${reference.slice(-4)}`;
  return null;
}

export interface TenderRow {
  tenderId: string;
  method: string;
  provider: string;
  providerReference: string;
  brand: string | null;
  last4: string | null;
}

/** A tender's identity in every view; amounts are added by the view that has them. */
export function tenderView(viewer: PaymentViewer, t: TenderRow) {
  return {
    tenderId: t.tenderId,
    method: t.method,
    provider: t.provider,
    brand: t.brand,
    last4: t.last4,
    providerReference: paymentReference(viewer, t.providerReference, t.method),
  };
}

export interface KnownReference {
  reference: string | null | undefined;
  method?: string | null;
}

/** Free text (a timeline entry, an error) with every known reference in it masked. */
export function maskPaymentText(viewer: PaymentViewer, text: string, known: readonly KnownReference[]): string {
  if (viewer.full) return text;
  const references = known
    .filter((k): k is { reference: string; method?: string | null } => typeof k.reference === "string" && k.reference.length >= 4)
    .sort((a, b) => b.reference.length - a.reference.length);
  let masked = text;
  for (const k of references) masked = masked.split(k.reference).join(paymentReference(viewer, k.reference, k.method) ?? HIDDEN);
  return masked;
}

// Keys under which payment references travel in audit details and event payloads.
const REFERENCE_KEYS = new Set(["providerReference", "paymentReference", "pspReference", "reference", "originalReference"]);

/** A JSON value (audit details, an event's payload) with the values of reference keys masked. */
export function maskPaymentFields<T>(viewer: PaymentViewer, value: T): T {
  if (viewer.full || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => maskPaymentFields(viewer, v)) as T;
  const method = typeof (value as Record<string, unknown>).method === "string" ? ((value as Record<string, unknown>).method as string) : null;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      REFERENCE_KEYS.has(k) && typeof v === "string" ? paymentReference(viewer, v, method) ?? HIDDEN : maskPaymentFields(viewer, v),
    ]),
  ) as T;
}
