import type { Metadata } from "next";
import { AdminPage } from "@/components/admin/admin-page";
import { BusinessRulesEditor } from "@/components/admin/business-rules-editor";

export const metadata: Metadata = { title: "Business rules" };

export default function BusinessRulesPage() {
  return (
    <AdminPage
      title="Business rules"
      headingId="rules-heading"
      permission="configure_business_rules"
      intro="When a cancellation needs approval and who approves it, which reasons can be given, when shipping is refunded and how long a request waits. Every save is a new, audited version."
    >
      <BusinessRulesEditor />
    </AdminPage>
  );
}
