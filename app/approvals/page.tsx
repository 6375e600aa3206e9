import type { Metadata } from "next";
import { NoPermission } from "@/components/admin/no-permission";
import { AppShell } from "@/components/app-shell";
import { ApprovalQueue } from "@/components/approvals/approval-queue";
import { requireUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const user = await requireUser();
  if (!hasPermission(user, "approve_cancellations")) {
    return (
      <AppShell user={user}>
        <NoPermission page="the approval queue" permission="approve_cancellations" />
      </AppShell>
    );
  }
  return (
    <AppShell user={user}>
      <h1 className="text-2xl font-semibold">Approval queue</h1>
      <p className="mb-4 mt-1 text-sm text-slate-700">
        {user.storeIds === null ? "Requests from every store." : `Requests from your stores: ${user.storeIds.join(", ") || "none"}.`} Units stay held until
        someone decides or the request expires.
      </p>
      <ApprovalQueue />
    </AppShell>
  );
}
