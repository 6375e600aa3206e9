import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { CancellationStatus } from "@/components/cancellations/cancellation-status";
import { currentUser, requireUser } from "@/server/auth/current-user";
import { getDb } from "@/server/db/client";
import { orderTitle } from "@/server/orders/order-title";

type Params = { params: Promise<{ orderId: string; cancellationId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Cancellation · ${await orderTitle({ db: getDb(), actor: await currentUser() }, (await params).orderId)}` };
}

export default async function CancellationPage({ params }: Params) {
  const user = await requireUser();
  const { orderId, cancellationId } = await params;
  return (
    <AppShell user={user}>
      <CancellationStatus orderId={orderId} cancellationId={cancellationId} />
    </AppShell>
  );
}
