import type { Metadata } from "next";
import { AdminPage } from "@/components/admin/admin-page";
import { DeadLetters } from "@/components/admin/dead-letters";
import { InventoryDiscrepancies } from "@/components/admin/inventory-discrepancies";
import { ManualRefundTasks } from "@/components/admin/manual-refund-tasks";
import { ParkedEvents } from "@/components/admin/parked-events";
import { ProviderHealth } from "@/components/admin/provider-health";

export const metadata: Metadata = { title: "Operations" };

export default function OperationsPage() {
  return (
    <AdminPage title="Operations" permission="system_admin" intro="What the background work could not finish on its own, and how the payment providers are doing.">
      <div className="space-y-5">
        <ManualRefundTasks />
        <DeadLetters />
        <ParkedEvents />
        <InventoryDiscrepancies />
        <ProviderHealth />
      </div>
    </AdminPage>
  );
}
