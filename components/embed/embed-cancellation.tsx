"use client";

import { useCallback } from "react";
import { CancellationStatus } from "../cancellations/cancellation-status";
import type { CancellationView } from "../orders/types";
import { useEmbedPost } from "./embed-bridge";

/** The status view; tells the host when the cancellation completes or fails. */
export function EmbedCancellation({ orderId, cancellationId }: { orderId: string; cancellationId: string }) {
  const post = useEmbedPost();
  const onStatusChange = useCallback(
    (c: CancellationView) => {
      if (c.status === "completed") {
        post({ type: "cancellation.completed", orderId, cancellationId: c.cancellationId, refundAmount: c.refundAmount, currency: c.currency, manualRefundPending: c.progress.manualRefund?.amount ?? null });
      } else if (c.status === "failed") {
        post({ type: "error", code: "CANCELLATION_FAILED", message: `Cancellation ${c.cancellationId} failed and was rolled back.` });
      }
    },
    [post, orderId],
  );
  return <CancellationStatus orderId={orderId} cancellationId={cancellationId} orderHref={`/embed/orders/${orderId}`} onStatusChange={onStatusChange} />;
}
