"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ADMIN_SECTIONS } from "./admin-sections";

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="mb-5 flex flex-wrap gap-1 border-b border-slate-200 pb-2">
      {ADMIN_SECTIONS.map((s) => {
        const current = pathname === s.href || pathname.startsWith(`${s.href}/`);
        return (
          <Link
            key={s.href}
            href={s.href}
            aria-current={current ? "page" : undefined}
            className={`rounded-md px-3 py-2 text-sm font-medium ${current ? "bg-blue-700 text-white" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {s.label}
          </Link>
        );
      })}
    </nav>
  );
}
