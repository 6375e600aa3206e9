"use client";

import { fieldClass, hintClass, labelClass } from "./form-styles";
import type { StoreOption } from "./types";

export const ROLE_OPTIONS = [
  { value: "customer_service_agent", label: "Customer service agent" },
  { value: "store_manager", label: "Store manager" },
  { value: "system_admin", label: "System admin" },
] as const;

export type RoleValue = (typeof ROLE_OPTIONS)[number]["value"];

export function roleLabel(role: string): string {
  return ROLE_OPTIONS.find((r) => r.value === role)?.label ?? role;
}

/** Role select and, for store managers, the stores they may see. */
export function RoleAndStores({
  idPrefix,
  role,
  storeIds,
  stores,
  onRole,
  onStores,
}: {
  idPrefix: string;
  role: RoleValue;
  storeIds: string[];
  stores: StoreOption[];
  onRole: (role: RoleValue) => void;
  onStores: (storeIds: string[]) => void;
}) {
  return (
    <>
      <div>
        <label htmlFor={`${idPrefix}-role`} className={labelClass}>
          Role
        </label>
        <select id={`${idPrefix}-role`} value={role} onChange={(e) => onRole(e.target.value as RoleValue)} className={fieldClass}>
          {ROLE_OPTIONS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      {role === "store_manager" ? (
        <fieldset>
          <legend className={labelClass}>Stores</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {stores.map((s) => (
              <label key={s.id} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={storeIds.includes(s.id)}
                  onChange={(e) => onStores(e.target.checked ? [...storeIds, s.id] : storeIds.filter((id) => id !== s.id))}
                  className="h-4 w-4"
                />
                {s.id} <span className="text-slate-600">{s.name !== s.id ? s.name : ""}</span>
              </label>
            ))}
          </div>
          <p className={hintClass}>A store manager sees and approves only these stores&apos; orders.</p>
        </fieldset>
      ) : (
        <p className={hintClass}>{role === "system_admin" ? "Admins see every store and sign in with a TOTP code." : "Agents see every store."}</p>
      )}
    </>
  );
}
