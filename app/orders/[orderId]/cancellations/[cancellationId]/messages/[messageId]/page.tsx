import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { CustomerMessage } from "@/components/cancellations/customer-messages";
import { requireUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Customer email" };

export default async function CustomerMessagePage({ params }: { params: Promise<{ orderId: string; cancellationId: string; messageId: string }> }) {
  const user = await requireUser();
  const { orderId, cancellationId, messageId } = await params;
  return (
    <AppShell user={user}>
      <CustomerMessage orderId={orderId} cancellationId={cancellationId} messageId={messageId} backHref={`/orders/${orderId}/cancellations/${cancellationId}`} />
    </AppShell>
  );
}
