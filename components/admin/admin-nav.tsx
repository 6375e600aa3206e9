"use client";

import { NavLink } from "../nav-link";
import { ADMIN_SECTIONS } from "./admin-sections";

export function AdminNav() {
  return (
    <nav aria-label="Admin" className="mb-5 flex flex-wrap gap-1 border-b border-slate-200 pb-2">
      {ADMIN_SECTIONS.map((s) => (
        <NavLink key={s.href} href={s.href}>
          {s.label}
        </NavLink>
      ))}
    </nav>
  );
}
