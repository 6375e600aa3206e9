"use client";

import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { formatDateTime } from "../format-money";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { fieldClass, labelClass, sectionClass } from "./form-styles";
import type { AuditEntry, AuditFilters } from "./types";

const PAGE = 50;
const FILTER_FIELDS = [
  { name: "actor", label: "Actor (email or user id)", type: "search" },
  { name: "orderId", label: "Order id", type: "search" },
  { name: "action", label: "Action contains", type: "search" },
  { name: "dateFrom", label: "From (UTC)", type: "date" },
  { name: "dateTo", label: "To (UTC)", type: "date" },
] as const;

function actorText(e: AuditEntry) {
  if (e.actorEmail) return e.actorType === "api_key" ? `${e.actorEmail} (API key)` : e.actorEmail;
  return e.actorId ? `${e.actorType} ${e.actorId}` : e.actorType;
}

function ChainCheck() {
  const trpc = useTRPC();
  const verify = useMutation(trpc.admin.audit.verifyChain.mutationOptions());
  const result = verify.data;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? "Verifying…" : "Verify the hash chain"}
      </Button>
      <p role="status" className="text-sm">
        {verify.isError
          ? describeAppError(verify.error)
          : result
            ? result.ok
              ? `Intact: ${result.checked} entries, each carrying the hash of the one before.`
              : `Broken at entry ${result.brokenId}: ${result.message}`
            : ""}
      </p>
    </div>
  );
}

/** The append-only audit log: filters, newest first, pages of 50, CSV export of the same filters. */
export function AuditLogViewer() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<AuditFilters>({});
  const entries = useInfiniteQuery(
    trpc.admin.audit.search.infiniteQueryOptions({ ...filters, limit: PAGE }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const exportHref = `/admin/audit/export?${new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1])).toString()}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters(Object.fromEntries(FILTER_FIELDS.map((f) => [f.name, String(form.get(f.name) ?? "").trim() || undefined])));
  }

  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="space-y-5">
      <form role="search" aria-label="Audit log" onSubmit={onSubmit} className={sectionClass}>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          {FILTER_FIELDS.map((f) => (
            <div key={f.name}>
              <label htmlFor={`audit-${f.name}`} className={labelClass}>
                {f.label}
              </label>
              <input id={`audit-${f.name}`} name={f.name} type={f.type} defaultValue={filters[f.name] ?? ""} className={fieldClass} />
            </div>
          ))}
        </div>
        <div className="mt-4 flex flex-wrap gap-2">
          <Button type="submit">Apply filters</Button>
          <a href={exportHref} download className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-900 hover:bg-slate-100">
            Export CSV
          </a>
        </div>
      </form>

      <ChainCheck />

      {entries.isPending ? (
        <p className="text-sm text-slate-700">Loading entries…</p>
      ) : entries.isError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          {describeAppError(entries.error)}
        </p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-700">No entries match these filters.</p>
      ) : (
        <>
          <Table label="Audit entries" caption="Audit entries, newest first">
            <THead>
              <TR>
                <TH numeric>#</TH>
                <TH>When</TH>
                <TH>Actor</TH>
                <TH>Action</TH>
                <TH>Entity</TH>
                <TH>Order</TH>
                <TH>From</TH>
                <TH>Details</TH>
                <TH>Hash</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((e) => (
                <TR key={e.id}>
                  <TD numeric>{e.id}</TD>
                  <TD className="whitespace-nowrap">{formatDateTime(e.at)}</TD>
                  <TD className="break-all">{actorText(e)}</TD>
                  <TD className="font-mono text-xs">{e.action}</TD>
                  <TD className="text-xs">{e.entity ? `${e.entity} ${e.entityId ?? ""}` : "—"}</TD>
                  <TD className="font-mono text-xs">{e.orderId ?? "—"}</TD>
                  <TD className="text-xs">
                    {e.channel ?? "—"}
                    {e.ip ? ` · ${e.ip}` : ""}
                  </TD>
                  <TD className="max-w-xs break-all font-mono text-xs">{e.details ?? "—"}</TD>
                  <TD className="font-mono text-xs" title={e.hash ? `hash ${e.hash}, previous ${e.prevHash}` : "Not chained yet: the sealer chains new entries within a second"}>
                    {e.hash ? `${e.hash.slice(0, 10)}…` : "sealing…"}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {entries.hasNextPage && (
            <Button variant="secondary" onClick={() => entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
              {entries.isFetchingNextPage ? "Loading…" : "Load older entries"}
            </Button>
          )}
        </>
      )}
    </div>
  );
}
