import type { Metadata } from "next";
import { NoPermission } from "@/components/admin/no-permission";
import { AppShell } from "@/components/app-shell";
import { parseMyRequestTab } from "@/components/cancellations/my-request-tabs";
import { MyRequests } from "@/components/cancellations/my-requests";
import { requireUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";

export const metadata: Metadata = { title: "My requests" };

export default async function MyRequestsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  if (!hasPermission(user, "cancel_partial_quantity")) {
    return (
      <AppShell user={user}>
        <NoPermission page="your cancellation requests" permission="cancel_partial_quantity" />
      </AppShell>
    );
  }
  const group = parseMyRequestTab((await searchParams).group);
  return (
    <AppShell user={user}>
      <h1 className="text-2xl font-semibold">My requests</h1>
      <p className="mb-4 mt-1 text-sm text-slate-700">The cancellations you asked for, as they are now. This page keeps itself up to date.</p>
      <MyRequests group={group} />
    </AppShell>
  );
}
