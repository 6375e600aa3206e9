import type { Metadata } from "next";
import { EmbedBridge } from "@/components/embed/embed-bridge";
import { EmbedSignedOut } from "@/components/embed/embed-signed-out";
import { EmbedOrder } from "@/components/embed/embed-order";
import { EmbedViewerLine } from "@/components/embed/embed-viewer-line";
import { ROLE_LABELS } from "@/server/auth/permissions";
import { currentEmbedViewer, embedHostOrigins } from "@/server/embed/current-embed-viewer";

export const metadata: Metadata = { title: "Order" };

export default async function EmbedOrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const viewer = await currentEmbedViewer();
  if (!viewer) return <EmbedSignedOut hostOrigins={await embedHostOrigins()} />;
  const { orderId } = await params;
  return (
    <EmbedBridge hostOrigins={[viewer.hostOrigin]} page="order" orderId={orderId}>
      <EmbedViewerLine name={viewer.actor.name} roleLabel={ROLE_LABELS[viewer.actor.role]} />
      <EmbedOrder orderId={orderId} />
    </EmbedBridge>
  );
}
