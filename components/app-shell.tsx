import Link from "next/link";
import type { ReactNode } from "react";
import { hasPermission, type Role } from "@/server/auth/permissions";
import { MainNav, type MainNavLink } from "./main-nav";
import { NoticesMenu } from "./notices-menu";
import { SignOutButton } from "./sign-out-button";

export interface ShellUser {
  name: string;
  roleLabel: string;
  /** Decides which pages the navigation offers. */
  role: Role;
  /** The stores the user may see; null: every store. */
  storeIds?: string[] | null;
}

/** Only what the role may open: an agent gets no Approvals or Insights (they would answer "no permission"). */
function navLinks(user: ShellUser): MainNavLink[] {
  const links: MainNavLink[] = [{ href: "/orders", label: "Orders" }];
  if (hasPermission(user, "cancel_partial_quantity")) links.push({ href: "/requests", label: "My requests" });
  if (hasPermission(user, "approve_cancellations")) links.push({ href: "/approvals", label: "Approvals", count: true }, { href: "/insights", label: "Insights" });
  if (user.role === "system_admin") links.push({ href: "/admin", label: "Admin" });
  return links;
}

/** `wide`: the order page, whose lines table with its steppers sits beside the refund summary. */
export function AppShell({ user, wide = false, children }: { user: ShellUser; wide?: boolean; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link href="/orders" className="font-semibold text-slate-900">
            Partial Cancellation
          </Link>
          <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
            <MainNav links={navLinks(user)} />
            <NoticesMenu />
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <span>
              {user.name} <span className="text-slate-600">· <span data-testid="role">{user.roleLabel}</span></span>
              {user.storeIds !== undefined && (
                <span className="block text-xs text-slate-600">
                  <span data-testid="stores">{user.storeIds === null ? "All stores" : user.storeIds.join(", ") || "No stores"}</span>
                </span>
              )}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className={`mx-auto px-4 py-6 ${wide ? "max-w-7xl" : "max-w-6xl"}`}>
        {children}
      </main>
    </div>
  );
}
