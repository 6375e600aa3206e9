import type { Metadata } from "next";
import { AdminPage } from "@/components/admin/admin-page";
import { ApiKeysAdmin } from "@/components/admin/api-keys-admin";

export const metadata: Metadata = { title: "API keys" };

export default function ApiKeysPage() {
  return (
    <AdminPage
      title="API keys"
      permission="manage_user_permissions"
      intro="Machine clients (e-commerce, POS, mobile and CRM back ends) call the REST API with a key that acts as a service user, limited to its scopes. A key is shown once; only its SHA-256 is kept."
    >
      <ApiKeysAdmin />
    </AdminPage>
  );
}
