"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { describeAppError } from "../app-error";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { fieldClass, labelClass, sectionClass } from "./form-styles";
import type { RulesView } from "./types";

export function ChangesTable({ label, changes }: { label: string; changes: { field: string; label: string; before: string; after: string }[] }) {
  return (
    <Table label={label}>
      <THead>
        <TR>
          <TH>Rule</TH>
          <TH>Before</TH>
          <TH>After</TH>
        </TR>
      </THead>
      <TBody>
        {changes.map((c) => (
          <TR key={c.field}>
            <TD className="font-medium">{c.label}</TD>
            <TD>{c.before}</TD>
            <TD>{c.after}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

function Compare({ versions }: { versions: number[] }) {
  const trpc = useTRPC();
  const id = useId();
  const [from, setFrom] = useState(versions[1] ?? 0);
  const [to, setTo] = useState(versions[0] ?? 0);
  const diff = useQuery(trpc.admin.rules.compare.queryOptions({ from, to }));
  const option = (v: number) => (
    <option key={v} value={v}>
      {v === 0 ? "Standard rules (before any version)" : `Version ${v}`}
    </option>
  );
  const choices = [...versions, 0];
  return (
    <div className="mt-4 space-y-3">
      <h3 className="text-sm font-semibold">Compare two versions</h3>
      <div className="flex flex-wrap gap-3">
        <div>
          <label htmlFor={`${id}-from`} className={labelClass}>
            From
          </label>
          <select id={`${id}-from`} className={fieldClass} value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {choices.map(option)}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-to`} className={labelClass}>
            To
          </label>
          <select id={`${id}-to`} className={fieldClass} value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {choices.map(option)}
          </select>
        </div>
      </div>
      {diff.isPending ? (
        <p className="text-sm text-slate-700">Comparing…</p>
      ) : diff.isError ? (
        <p role="alert" className="text-sm text-red-800">
          {describeAppError(diff.error)}
        </p>
      ) : diff.data.changes.length === 0 ? (
        <p className="text-sm text-slate-700" role="status">
          {from === to ? "That is the same version twice." : "These two versions hold the same rules."}
        </p>
      ) : (
        <ChangesTable label={`Changes from ${from === 0 ? "the standard rules" : `version ${from}`} to ${to === 0 ? "the standard rules" : `version ${to}`}`} changes={diff.data.changes} />
      )}
    </div>
  );
}

/** Who saved which version when, what each changed, and a comparison of any two. */
export function RulesHistory({ history }: { history: RulesView["history"] }) {
  if (history.length === 0) {
    return (
      <section aria-labelledby="rules-history" className={sectionClass}>
        <h2 id="rules-history" className="text-base font-semibold">
          History
        </h2>
        <p className="mt-2 text-sm text-slate-700">Nobody has changed the rules yet: the standard rules are in force.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="rules-history" className={sectionClass}>
      <h2 id="rules-history" className="text-base font-semibold">
        History
      </h2>
      <ul aria-label="Versions of the rules" className="mt-2 space-y-1 text-sm">
        {history.map((h) => (
          <li key={h.version}>
            <span className="font-medium">Version {h.version}</span>, <LocalTime iso={h.createdAt} />
            {h.createdBy ? ` by ${h.createdBy}` : ""}
            {h.changed && <span className="text-slate-700"> — {h.changed.length ? `changed ${h.changed.join("; ")}` : "no change"}</span>}
          </li>
        ))}
      </ul>
      <Compare versions={history.map((h) => h.version)} />
    </section>
  );
}
