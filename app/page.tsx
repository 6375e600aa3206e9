import Link from "next/link";
import { AppShell } from "@/components/app-shell";
import { requireUser } from "@/server/auth/current-user";

export default async function HomePage() {
  const user = await requireUser();
  return (
    <AppShell user={user}>
      <h1 className="text-2xl font-semibold">Welcome, {user.name}</h1>
      <dl className="mt-4 grid max-w-md grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <dt className="text-slate-600">Email</dt>
        <dd>{user.email}</dd>
        <dt className="text-slate-600">Role</dt>
        <dd data-testid="role">{user.roleLabel}</dd>
        <dt className="text-slate-600">Stores</dt>
        <dd data-testid="stores">{user.storeIds === null ? "All stores" : user.storeIds.join(", ") || "None"}</dd>
      </dl>
      <div className="mt-6 flex gap-3">
        <Link className="rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800" href="/orders">
          Find an order
        </Link>
        <Link className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-100" href="/approvals">
          Approval queue
        </Link>
      </div>
    </AppShell>
  );
}
