// The postMessage protocol between an embed frame and its CRM host page (docs/embedding.md).
// Every message carries `protocol` and `version`; each side checks the other's origin.
export const EMBED_PROTOCOL = "partial-cancellation.embed";
export const EMBED_PROTOCOL_VERSION = 1;

export type EmbedPage = "home" | "order" | "cancellation" | "approvals" | "refused";

export type FrameToHostMessage =
  | { type: "ready"; page: EmbedPage; orderId?: string; cancellationId?: string }
  | { type: "resize"; height: number }
  | { type: "cancellation.submitted"; orderId: string; cancellationId: string; status: string; refundAmount: string; currency: string }
  | { type: "cancellation.completed"; orderId: string; cancellationId: string; refundAmount: string; currency: string; manualRefundPending: string | null }
  | { type: "error"; code: string; message: string };

export type HostToFrameMessage = { type: "open-order"; orderId: string };

export type Envelope<M> = M & { protocol: typeof EMBED_PROTOCOL; version: typeof EMBED_PROTOCOL_VERSION };

const ORDER_ID = /^[A-Za-z0-9-]{1,64}$/;

/** A host message we act on, or null for anything else (other protocols, bad fields). */
export function parseHostMessage(data: unknown): HostToFrameMessage | null {
  if (!data || typeof data !== "object") return null;
  const m = data as Record<string, unknown>;
  if (m.protocol !== EMBED_PROTOCOL || m.version !== EMBED_PROTOCOL_VERSION) return null;
  if (m.type === "open-order" && typeof m.orderId === "string" && ORDER_ID.test(m.orderId)) return { type: "open-order", orderId: m.orderId };
  return null;
}
