import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { OrderDetail } from "@/components/orders/order-detail";
import { currentUser, requireUser } from "@/server/auth/current-user";
import { getDb } from "@/server/db/client";
import { orderTitle } from "@/server/orders/order-title";

type Params = { params: Promise<{ orderId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: await orderTitle({ db: getDb(), actor: await currentUser() }, (await params).orderId) };
}

export default async function OrderPage({ params }: Params) {
  const user = await requireUser();
  const { orderId } = await params;
  return (
    <AppShell user={user} wide>
      <OrderDetail orderId={orderId} />
    </AppShell>
  );
}
