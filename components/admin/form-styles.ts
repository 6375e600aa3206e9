export const fieldClass = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
export const labelClass = "text-sm font-medium text-slate-800";
export const hintClass = "mt-1 text-xs text-slate-600";
export const sectionClass = "rounded-lg border border-slate-200 bg-white p-4";
