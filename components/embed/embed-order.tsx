"use client";

import { OrderDetail } from "../orders/order-detail";
import { useEmbedPost } from "./embed-bridge";

/** The agent's order screen, compact, reporting each submitted cancellation to the host. */
export function EmbedOrder({ orderId }: { orderId: string }) {
  const post = useEmbedPost();
  return (
    <OrderDetail
      orderId={orderId}
      compact
      cancellationHref={(cancellationId) => `/embed/orders/${orderId}/cancellations/${cancellationId}`}
      onSubmitted={(result) =>
        post({
          type: "cancellation.submitted",
          orderId,
          cancellationId: result.cancellationId,
          status: result.status,
          refundAmount: result.refundAmount,
          currency: result.currency,
        })
      }
    />
  );
}
