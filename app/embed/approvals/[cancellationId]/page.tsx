import type { Metadata } from "next";
import { ApprovalDetail } from "@/components/approvals/approval-detail";
import { EmbedBridge } from "@/components/embed/embed-bridge";
import { EmbedNotice } from "@/components/embed/embed-notice";
import { EmbedSignedOut } from "@/components/embed/embed-signed-out";
import { EmbedViewerLine } from "@/components/embed/embed-viewer-line";
import { hasPermission, ROLE_LABELS } from "@/server/auth/permissions";
import { currentEmbedViewer, embedHostOrigins } from "@/server/embed/current-embed-viewer";

export const metadata: Metadata = { title: "Approval request" };

export default async function EmbedApprovalRequestPage({ params }: { params: Promise<{ cancellationId: string }> }) {
  const viewer = await currentEmbedViewer();
  if (!viewer) return <EmbedSignedOut hostOrigins={await embedHostOrigins()} />;
  const { cancellationId } = await params;
  const { actor } = viewer;
  return (
    <EmbedBridge hostOrigins={[viewer.hostOrigin]} page="approvals" cancellationId={cancellationId}>
      <EmbedViewerLine name={actor.name} roleLabel={ROLE_LABELS[actor.role]} />
      {hasPermission(actor, "approve_cancellations") ? (
        <ApprovalDetail cancellationId={cancellationId} />
      ) : (
        <EmbedNotice code="NOT_ALLOWED" title="No approval queue" message="Only store managers decide on cancellation requests; your role does not have an approval queue." />
      )}
    </EmbedBridge>
  );
}
