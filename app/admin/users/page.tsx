import type { Metadata } from "next";
import { AdminPage } from "@/components/admin/admin-page";
import { UsersAdmin } from "@/components/admin/users-admin";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <AdminPage
      title="Users"
      permission="manage_user_permissions"
      intro="Accounts, their roles and stores. Changes apply from the user's next request. Passwords and TOTP secrets are shown once, when they are made."
    >
      <UsersAdmin />
    </AdminPage>
  );
}
