import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { CancellationStatus } from "@/components/cancellations/cancellation-status";
import { requireUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "Cancellation" };

export default async function CancellationPage({ params }: { params: Promise<{ orderId: string; cancellationId: string }> }) {
  const user = await requireUser();
  const { orderId, cancellationId } = await params;
  return (
    <AppShell user={user}>
      <CancellationStatus orderId={orderId} cancellationId={cancellationId} />
    </AppShell>
  );
}
