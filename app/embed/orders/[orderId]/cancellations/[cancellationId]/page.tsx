import type { Metadata } from "next";
import { EmbedBridge } from "@/components/embed/embed-bridge";
import { EmbedSignedOut } from "@/components/embed/embed-signed-out";
import { EmbedCancellation } from "@/components/embed/embed-cancellation";
import { EmbedViewerLine } from "@/components/embed/embed-viewer-line";
import { ROLE_LABELS } from "@/server/auth/permissions";
import { currentEmbedViewer, embedHostOrigins } from "@/server/embed/current-embed-viewer";

export const metadata: Metadata = { title: "Cancellation" };

export default async function EmbedCancellationPage({ params }: { params: Promise<{ orderId: string; cancellationId: string }> }) {
  const viewer = await currentEmbedViewer();
  if (!viewer) return <EmbedSignedOut hostOrigins={await embedHostOrigins()} />;
  const { orderId, cancellationId } = await params;
  return (
    <EmbedBridge hostOrigins={[viewer.hostOrigin]} page="cancellation" orderId={orderId} cancellationId={cancellationId}>
      <EmbedViewerLine name={viewer.actor.name} roleLabel={ROLE_LABELS[viewer.actor.role]} />
      <EmbedCancellation orderId={orderId} cancellationId={cancellationId} />
    </EmbedBridge>
  );
}
