"use client";

import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useState, type FormEvent } from "react";
import { AUDIT_ACTION_LABELS } from "@/server/admin/audit/audit-actions";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { formatMoney } from "../format-money";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { fieldClass, labelClass, sectionClass } from "./form-styles";
import type { AuditEntry, AuditFilters } from "./types";

const PAGE = 50;
const TEXT_FIELDS = [
  { name: "order", label: "Order (external id)", type: "search", placeholder: "e.g. WEB-100045" },
  { name: "actor", label: "Actor (name or email)", type: "search", placeholder: "e.g. Alex or agent@example.com" },
] as const;
const DATE_FIELDS = [
  { name: "dateFrom", label: "From (UTC)" },
  { name: "dateTo", label: "To (UTC)" },
] as const;
const FILTER_NAMES = ["order", "actor", "action", "dateFrom", "dateTo"] as const;

const ACTIONS = Object.entries(AUDIT_ACTION_LABELS).sort((a, b) => a[1].localeCompare(b[1]));

function actorText(e: AuditEntry) {
  const who = e.actorName ?? e.actorEmail;
  if (who) return e.actorType === "api_key" ? `${who} (API key)` : who;
  if (e.actorType === "system") return "System";
  return e.actorId ? `${e.actorType} ${e.actorId}` : e.actorType;
}

function ChainCheck() {
  const trpc = useTRPC();
  const verify = useMutation(trpc.admin.audit.verifyChain.mutationOptions());
  const result = verify.data;
  const tone = verify.isError || (result && !result.ok) ? "border-red-200 bg-red-50 text-red-900" : result ? "border-green-200 bg-green-50 text-green-900" : "border-transparent";
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? "Verifying…" : "Verify the hash chain"}
      </Button>
      <p role="status" className={`rounded-md border px-3 py-2 text-sm ${tone}`}>
        {verify.isPending
          ? "Checking every entry against the one before it…"
          : verify.isError
            ? `The check could not run: ${describeAppError(verify.error)}`
            : result
              ? result.ok
                ? `Intact: ${result.checked} entries, each carrying the hash of the one before.`
                : `Broken at entry #${result.brokenId}: ${result.message}`
              : ""}
      </p>
    </div>
  );
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  return (
    <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 text-sm">
      {entry.detailList.map((d) => (
        <Fragment key={d.key}>
          <dt className="text-slate-600">{d.key}</dt>
          <dd className="break-words">{d.value}</dd>
        </Fragment>
      ))}
      <dt className="text-slate-600">entity</dt>
      <dd className="break-all">{entry.entity ? `${entry.entity} ${entry.entityId ?? ""}` : "—"}</dd>
      <dt className="text-slate-600">from</dt>
      <dd className="break-words">
        {[entry.channel, entry.ip, entry.userAgent].filter(Boolean).join(" · ") || "—"}
      </dd>
      {entry.actorEmail && (
        <>
          <dt className="text-slate-600">actor email</dt>
          <dd className="break-all">{entry.actorEmail}</dd>
        </>
      )}
      <dt className="text-slate-600">hash</dt>
      <dd className="break-all font-mono text-xs">{entry.hash ? `${entry.hash} (previous ${entry.prevHash})` : "Not chained yet: the sealer chains new entries within a second"}</dd>
    </dl>
  );
}

/** The append-only audit log: one line per entry, newest first, details on demand; CSV export of the same filters. */
export function AuditLogViewer() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const entries = useInfiniteQuery(
    trpc.admin.audit.search.infiniteQueryOptions({ ...filters, limit: PAGE }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const exportHref = `/admin/audit/export?${new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === "string" && !!e[1])).toString()}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters(Object.fromEntries(FILTER_NAMES.map((name) => [name, String(form.get(name) ?? "").trim() || undefined])));
    setOpen(new Set());
  }
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="space-y-5">
      <form role="search" aria-label="Audit log" onSubmit={onSubmit} className={sectionClass}>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          {TEXT_FIELDS.map((f) => (
            <div key={f.name}>
              <label htmlFor={`audit-${f.name}`} className={labelClass}>
                {f.label}
              </label>
              <input id={`audit-${f.name}`} name={f.name} type={f.type} placeholder={f.placeholder} defaultValue={filters[f.name] ?? ""} className={fieldClass} />
            </div>
          ))}
          <div>
            <label htmlFor="audit-action" className={labelClass}>
              Action
            </label>
            <select id="audit-action" name="action" defaultValue={filters.action ?? ""} className={fieldClass}>
              <option value="">Any action</option>
              {ACTIONS.map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          {DATE_FIELDS.map((f) => (
            <div key={f.name}>
              <label htmlFor={`audit-${f.name}`} className={labelClass}>
                {f.label}
              </label>
              <input id={`audit-${f.name}`} name={f.name} type="date" defaultValue={filters[f.name] ?? ""} className={fieldClass} />
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
                <TH>When</TH>
                <TH>Actor</TH>
                <TH>Action</TH>
                <TH>Order</TH>
                <TH numeric>Amount</TH>
                <TH>
                  <span className="sr-only">Details</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((e) => {
                const expanded = open.has(e.id);
                const detailsId = `audit-details-${e.id}`;
                return (
                  <Fragment key={e.id}>
                    <TR data-entry-id={e.id}>
                      <TD className="whitespace-nowrap"><LocalTime iso={e.at} /></TD>
                      <TD className="whitespace-nowrap">{actorText(e)}</TD>
                      <TD className="whitespace-nowrap" title={e.action}>
                        {e.actionLabel}
                      </TD>
                      <TD className="whitespace-nowrap">
                        {e.orderExternalId ? (
                          <Link href={`/orders/${e.orderId}`} className="text-blue-800 underline">
                            {e.orderExternalId}
                          </Link>
                        ) : (
                          (e.orderId ?? "—")
                        )}
                      </TD>
                      <TD numeric className="whitespace-nowrap">
                        {e.amount && e.currency ? formatMoney(e.amount, e.currency) : "—"}
                      </TD>
                      <TD className="whitespace-nowrap">
                        <button
                          type="button"
                          aria-expanded={expanded}
                          aria-controls={expanded ? detailsId : undefined}
                          aria-label={`${expanded ? "Hide" : "Show"} the details of entry #${e.id}`}
                          onClick={() => toggle(e.id)}
                          className="rounded px-2 py-0.5 text-sm text-blue-800 underline hover:bg-blue-50"
                        >
                          {expanded ? "Hide" : "Details"}
                        </button>
                      </TD>
                    </TR>
                    {expanded && (
                      <TR id={detailsId} className="bg-slate-50">
                        <TD colSpan={6}>
                          <EntryDetails entry={e} />
                        </TD>
                      </TR>
                    )}
                  </Fragment>
                );
              })}
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
