import type { Metadata } from "next";
import { AdminPage } from "@/components/admin/admin-page";
import { AuditLogViewer } from "@/components/admin/audit-log-viewer";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditLogPage() {
  return (
    <AdminPage
      title="Audit log"
      permission="access_audit_logs"
      intro="Every state change with who made it (user or API client), when and from where. Entries cannot be changed or deleted, and each carries the hash of the one before it, so tampering shows."
    >
      <AuditLogViewer />
    </AdminPage>
  );
}
