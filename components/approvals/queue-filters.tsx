"use client";

import { useId } from "react";

export interface QueueFilterValues {
  storeId: string;
  reason: "" | "limit" | "velocity";
  minAmount: string;
  maxAmount: string;
  olderThanHours: string;
  sort: "expires" | "oldest" | "newest" | "amount";
}

export const NO_FILTERS: QueueFilterValues = { storeId: "", reason: "", minAmount: "", maxAmount: "", olderThanHours: "", sort: "expires" };

const AMOUNT = /^\d{1,12}(\.\d{1,3})?$/;

/** The tRPC input for these filters; an amount that is not a number yet is left out (and marked at its field). */
export function queueInput(f: QueueFilterValues) {
  return {
    sort: f.sort,
    ...(f.storeId ? { storeId: f.storeId } : {}),
    ...(f.reason ? { reason: f.reason } : {}),
    ...(AMOUNT.test(f.minAmount.trim()) ? { minAmount: f.minAmount.trim() } : {}),
    ...(AMOUNT.test(f.maxAmount.trim()) ? { maxAmount: f.maxAmount.trim() } : {}),
    ...(f.olderThanHours ? { olderThanHours: Number(f.olderThanHours) } : {}),
  };
}

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export function QueueFilters({ value, stores, onChange }: { value: QueueFilterValues; stores: string[]; onChange: (next: QueueFilterValues) => void }) {
  const id = useId();
  const set = <K extends keyof QueueFilterValues>(key: K, v: QueueFilterValues[K]) => onChange({ ...value, [key]: v });
  const badAmount = (a: string) => a.trim() !== "" && !AMOUNT.test(a.trim());
  return (
    <form role="search" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()} className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm sm:grid-cols-3 lg:grid-cols-6">
      <div>
        <label htmlFor={`${id}-store`} className="font-medium text-slate-800">
          Store
        </label>
        <select id={`${id}-store`} className={field} value={value.storeId} onChange={(e) => set("storeId", e.target.value)}>
          <option value="">All stores</option>
          {stores.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-reason`} className="font-medium text-slate-800">
          Reason
        </label>
        <select id={`${id}-reason`} className={field} value={value.reason} onChange={(e) => set("reason", e.target.value as QueueFilterValues["reason"])}>
          <option value="">Any reason</option>
          <option value="limit">Over a limit</option>
          <option value="velocity">Velocity</option>
        </select>
      </div>
      {(["minAmount", "maxAmount"] as const).map((key) => (
        <div key={key}>
          <label htmlFor={`${id}-${key}`} className="font-medium text-slate-800">
            {key === "minAmount" ? "Amount from" : "Amount up to"}
          </label>
          <input
            id={`${id}-${key}`}
            inputMode="decimal"
            autoComplete="off"
            placeholder={key === "minAmount" ? "e.g. 500" : "e.g. 5000"}
            className={`${field} ${badAmount(value[key]) ? "border-red-600" : ""}`}
            value={value[key]}
            aria-invalid={badAmount(value[key]) || undefined}
            aria-describedby={badAmount(value[key]) ? `${id}-${key}-error` : undefined}
            onChange={(e) => set(key, e.target.value)}
          />
          {badAmount(value[key]) && (
            <p id={`${id}-${key}-error`} className="mt-1 text-xs text-red-700">
              A number, such as 500 or 612.40
            </p>
          )}
        </div>
      ))}
      <div>
        <label htmlFor={`${id}-age`} className="font-medium text-slate-800">
          Waiting
        </label>
        <select id={`${id}-age`} className={field} value={value.olderThanHours} onChange={(e) => set("olderThanHours", e.target.value)}>
          <option value="">Any time</option>
          <option value="1">Over 1 hour</option>
          <option value="24">Over 1 day</option>
          <option value="48">Over 2 days</option>
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-sort`} className="font-medium text-slate-800">
          Sort
        </label>
        <select id={`${id}-sort`} className={field} value={value.sort} onChange={(e) => set("sort", e.target.value as QueueFilterValues["sort"])}>
          <option value="expires">Soonest to expire</option>
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
          <option value="amount">Largest refund first</option>
        </select>
      </div>
    </form>
  );
}
