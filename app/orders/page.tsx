import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { OrderSearch } from "@/components/orders/order-search";
import { parseOrderFilters } from "@/components/orders/search-params";
import { requireUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Orders" };

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const filters = parseOrderFilters(await searchParams);
  return (
    <AppShell user={user}>
      <h1 className="mb-4 text-2xl font-semibold">Orders</h1>
      <OrderSearch filters={filters} storeIds={user.storeIds} />
    </AppShell>
  );
}
