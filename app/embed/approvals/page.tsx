import type { Metadata } from "next";
import { ApprovalQueue } from "@/components/approvals/approval-queue";
import { EmbedBridge } from "@/components/embed/embed-bridge";
import { EmbedNotice } from "@/components/embed/embed-notice";
import { EmbedSignedOut } from "@/components/embed/embed-signed-out";
import { EmbedViewerLine } from "@/components/embed/embed-viewer-line";
import { hasPermission, ROLE_LABELS } from "@/server/auth/permissions";
import { currentEmbedViewer, embedHostOrigins } from "@/server/embed/current-embed-viewer";

export const metadata: Metadata = { title: "Approvals" };

export default async function EmbedApprovalsPage() {
  const viewer = await currentEmbedViewer();
  if (!viewer) return <EmbedSignedOut hostOrigins={await embedHostOrigins()} />;
  const { actor } = viewer;
  return (
    <EmbedBridge hostOrigins={[viewer.hostOrigin]} page="approvals">
      <EmbedViewerLine name={actor.name} roleLabel={ROLE_LABELS[actor.role]} />
      {hasPermission(actor, "approve_cancellations") ? (
        <>
          <h1 className="text-xl font-semibold">Approval queue</h1>
          <p className="mb-3 mt-1 text-sm text-slate-700">
            {actor.storeIds === null ? "Requests from every store." : `Requests from your stores: ${actor.storeIds.join(", ") || "none"}.`}
          </p>
          <ApprovalQueue />
        </>
      ) : (
        <EmbedNotice code="NOT_ALLOWED" title="No approval queue" message="Only store managers decide on cancellation requests; your role does not have an approval queue." />
      )}
    </EmbedBridge>
  );
}
