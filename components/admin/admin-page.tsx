import type { ReactNode } from "react";
import { requireUser } from "@/server/auth/current-user";
import { hasPermission, type Permission } from "@/server/auth/permissions";
import { NoPermission } from "./no-permission";

/** One admin page: its heading and intro, or the no-permission notice when the role lacks `permission`. */
export async function AdminPage({ title, headingId, intro, permission, children }: { title: string; headingId?: string; intro: ReactNode; permission: Permission | "system_admin"; children: ReactNode }) {
  const user = await requireUser();
  const allowed = permission === "system_admin" ? user.role === "system_admin" : hasPermission(user, permission);
  if (!allowed) return <NoPermission page={title} permission={permission} />;
  return (
    <>
      <h1 id={headingId} className="text-2xl font-semibold">
        {title}
      </h1>
      <p className="mb-4 mt-1 max-w-3xl text-sm text-slate-700">{intro}</p>
      {children}
    </>
  );
}
