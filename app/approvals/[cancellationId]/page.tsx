import type { Metadata } from "next";
import { NoPermission } from "@/components/admin/no-permission";
import { AppShell } from "@/components/app-shell";
import { ApprovalDetail } from "@/components/approvals/approval-detail";
import { requireUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";

export const metadata: Metadata = { title: "Approval request" };

export default async function ApprovalRequestPage({ params }: { params: Promise<{ cancellationId: string }> }) {
  const user = await requireUser();
  const { cancellationId } = await params;
  return (
    <AppShell user={user}>
      {hasPermission(user, "approve_cancellations") ? (
        <ApprovalDetail cancellationId={cancellationId} />
      ) : (
        <NoPermission page="the approval queue" permission="approve_cancellations" />
      )}
    </AppShell>
  );
}
