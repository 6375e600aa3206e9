import type { Metadata } from "next";
import { NoPermission } from "@/components/admin/no-permission";
import { AppShell } from "@/components/app-shell";
import { InsightsDashboard } from "@/components/insights/insights-dashboard";
import { requireUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";

export const metadata: Metadata = { title: "Insights" };

export default async function InsightsPage() {
  const user = await requireUser();
  if (!hasPermission(user, "approve_cancellations")) {
    return (
      <AppShell user={user}>
        <NoPermission page="Insights" permission="approve_cancellations" />
      </AppShell>
    );
  }
  return (
    <AppShell user={user}>
      <h1 className="text-2xl font-semibold">Insights</h1>
      <p className="mb-4 mt-1 text-sm text-slate-700">
        {user.storeIds === null ? "Cancellations in every store." : `Cancellations in your stores: ${user.storeIds.join(", ") || "none"}.`} Each chart has its numbers as a
        table and as CSV.
      </p>
      <InsightsDashboard stores={user.storeIds} />
    </AppShell>
  );
}
