import type { Metadata } from "next";
import { EmbedBridge } from "@/components/embed/embed-bridge";
import { EmbedSignedOut } from "@/components/embed/embed-signed-out";
import { EmbedOrder } from "@/components/embed/embed-order";
import { EmbedViewerLine } from "@/components/embed/embed-viewer-line";
import { getDb } from "@/server/db/client";
import { orderTitle } from "@/server/orders/order-title";
import { ROLE_LABELS } from "@/server/auth/permissions";
import { currentEmbedViewer, embedHostOrigins } from "@/server/embed/current-embed-viewer";

type Params = { params: Promise<{ orderId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const viewer = await currentEmbedViewer();
  return { title: await orderTitle({ db: getDb(), actor: viewer?.actor ?? null }, (await params).orderId) };
}

export default async function EmbedOrderPage({ params }: Params) {
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
