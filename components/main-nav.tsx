"use client";

import { ApprovalsCount } from "./approvals/approvals-count";
import { NavLink } from "./nav-link";

export interface MainNavLink {
  href: string;
  label: string;
  /** Shows the count of requests waiting for the reader's decision. */
  count?: boolean;
}

/** The main navigation: only the pages the reader may open (AppShell decides), the current one marked. */
export function MainNav({ links }: { links: MainNavLink[] }) {
  return (
    <>
      {links.map((l) => (
        <NavLink key={l.href} href={l.href}>
          {l.label}
          {l.count && <ApprovalsCount />}
        </NavLink>
      ))}
    </>
  );
}
