import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { NoPermission } from "@/components/admin/no-permission";
import { AppShell } from "@/components/app-shell";
import { ToastProvider } from "@/components/toast";
import { requireUser } from "@/server/auth/current-user";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <ToastProvider>
      <AppShell user={user}>
        {user.role === "system_admin" ? (
          <>
            <AdminNav />
            {children}
          </>
        ) : (
          <NoPermission page="the admin console" permission="configure_business_rules, manage_user_permissions or access_audit_logs" />
        )}
      </AppShell>
    </ToastProvider>
  );
}
