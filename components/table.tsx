import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

/**
 * A table in a horizontally scrollable, keyboard-focusable region, so it stays usable at 360 px
 * without the page itself scrolling sideways. `relative` keeps visually hidden (sr-only, absolutely
 * positioned) header labels inside the scroll region, so they cannot widen the page.
 */
export function Table({ label, caption, children, className = "" }: { label: string; caption?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`relative overflow-x-auto rounded-lg border border-slate-200 bg-white ${className}`}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {caption && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="bg-slate-50">{children}</thead>;
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

export function TFoot({ children }: { children: ReactNode }) {
  return <tfoot className="border-t border-slate-200 bg-slate-50 font-medium">{children}</tfoot>;
}

export function TR({ className = "", ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={className} {...props} />;
}

export function TH({ numeric, className = "", scope = "col", ...props }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <th
      scope={scope}
      className={`whitespace-nowrap px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600 ${numeric ? "text-right" : "text-left"} ${className}`}
      {...props}
    />
  );
}

export function TD({ numeric, className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={`px-3 py-2 align-top ${numeric ? "text-right tabular-nums" : ""} ${className}`} {...props} />;
}
