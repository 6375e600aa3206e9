"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** A link of a navigation bar, marked as the current page on its page and the pages below it. */
export function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const pathname = usePathname();
  const current = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? "page" : undefined} className={`rounded-md px-3 py-2 text-sm font-medium ${current ? "bg-blue-700 text-white" : "text-slate-700 hover:bg-slate-100"}`}>
      {children}
    </Link>
  );
}
