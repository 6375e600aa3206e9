import type { Metadata } from "next";
import Link from "next/link";
import { ADMIN_SECTIONS } from "@/components/admin/admin-sections";

export const metadata: Metadata = { title: "Admin" };

export default function AdminHomePage() {
  return (
    <>
      <h1 className="text-2xl font-semibold">Admin console</h1>
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.href} className="rounded-lg border border-slate-200 bg-white p-4">
            <Link href={s.href} className="font-semibold text-blue-800 underline">
              {s.label}
            </Link>
            <p className="mt-1 text-sm text-slate-700">{s.description}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
