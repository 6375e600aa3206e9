import Link from "next/link";
import type { ReactNode } from "react";
import { NoticesMenu } from "./notices-menu";
import { SignOutButton } from "./sign-out-button";

export interface ShellUser {
  name: string;
  roleLabel: string;
  /** Shows the Admin link to system admins. */
  role?: string;
}

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link href="/" className="font-semibold text-slate-900">
            Partial Cancellation
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1">
            <Link className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100" href="/orders">
              Orders
            </Link>
            <Link className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100" href="/approvals">
              Approvals
            </Link>
            {user.role === "system_admin" && (
              <Link className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100" href="/admin">
                Admin
              </Link>
            )}
            <NoticesMenu />
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <span>
              {user.name} <span className="text-slate-600">· {user.roleLabel}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
