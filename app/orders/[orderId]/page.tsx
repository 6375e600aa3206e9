import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { OrderDetail } from "@/components/orders/order-detail";
import { requireUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Order" };

export default async function OrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const user = await requireUser();
  const { orderId } = await params;
  return (
    <AppShell user={user}>
      <OrderDetail orderId={orderId} />
    </AppShell>
  );
}
