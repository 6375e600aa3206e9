"use client";

import { type ReactNode, useId, useState } from "react";
import { csvRow } from "@/server/admin/audit/audit-csv";
import { Table, TBody, TD, TH, THead, TR } from "../table";

export interface Column<Row> {
  key: string;
  label: string;
  numeric?: boolean;
  /** The cell as shown; the CSV gets `csv` (or this). */
  cell: (row: Row) => string | number;
  csv?: (row: Row) => string | number;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/**
 * One Insights figure: its chart, the same numbers as a table (a button switches), and the
 * table as CSV. The chart is drawn for sighted readers; the table is the accessible form.
 */
export function ChartCard<Row>({
  title,
  description,
  rows,
  columns,
  csvName,
  chart,
  empty = "Nothing in this period.",
}: {
  title: string;
  description?: ReactNode;
  rows: Row[];
  columns: Column<Row>[];
  csvName: string;
  chart: ReactNode;
  empty?: string;
}) {
  const [asTable, setAsTable] = useState(false);
  const headingId = useId();
  const csv = () => [csvRow(columns.map((c) => c.label)), ...rows.map((r) => csvRow(columns.map((c) => (c.csv ?? c.cell)(r))))].join("");
  return (
    <section aria-labelledby={headingId} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold">
            {title}
          </h2>
          {description && <p className="mt-0.5 text-sm text-slate-700">{description}</p>}
        </div>
        {rows.length > 0 && (
          <div className="flex gap-1">
            <button
              type="button"
              aria-pressed={asTable}
              aria-label={`${title}: show as table`}
              onClick={() => setAsTable((v) => !v)}
              className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100"
            >
              Table
            </button>
            <button
              type="button"
              aria-label={`${title}: download CSV`}
              onClick={() => download(csvName, csv())}
              className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100"
            >
              CSV
            </button>
          </div>
        )}
      </div>
      <div className="mt-3">
        {rows.length === 0 ? (
          <p className="text-sm text-slate-700">{empty}</p>
        ) : asTable ? (
          <Table label={`${title} (table)`}>
            <THead>
              <TR>
                {columns.map((c) => (
                  <TH key={c.key} numeric={c.numeric}>
                    {c.label}
                  </TH>
                ))}
              </TR>
            </THead>
            <TBody>
              {rows.map((r, i) => (
                <TR key={i}>
                  {columns.map((c) => (
                    <TD key={c.key} numeric={c.numeric}>
                      {c.cell(r)}
                    </TD>
                  ))}
                </TR>
              ))}
            </TBody>
          </Table>
        ) : (
          <div role="img" aria-label={`${title}: chart; use the Table button for the numbers`} className="h-64 w-full">
            {chart}
          </div>
        )}
      </div>
    </section>
  );
}
