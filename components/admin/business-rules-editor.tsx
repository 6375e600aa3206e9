"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { appErrorOf, describeAppError } from "../app-error";
import { Button } from "../button";
import { formatDateTime } from "../format-money";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { AgentLimitsEditor, type LimitRow } from "./agent-limits-editor";
import { fieldClass, hintClass, labelClass, sectionClass } from "./form-styles";
import { ReasonCodesEditor, type ReasonCodeRow } from "./reason-codes-editor";
import type { RulesConfig, RulesView } from "./types";

interface Draft {
  limits: LimitRow[];
  managerLimitMultiple: string;
  otherOrdersIn24h: string;
  refundedMultipleOfLimitIn7d: string;
  reasonCodes: ReasonCodeRow[];
  shippingPolicy: RulesConfig["shippingPolicy"];
  approvalExpiryHours: string;
}

function toDraft(rules: RulesConfig): Draft {
  return {
    limits: Object.entries(rules.agentLimits).map(([currency, amount]) => ({ currency, amount })),
    managerLimitMultiple: String(rules.managerLimitMultiple),
    otherOrdersIn24h: String(rules.velocity.otherOrdersIn24h),
    refundedMultipleOfLimitIn7d: String(rules.velocity.refundedMultipleOfLimitIn7d),
    reasonCodes: rules.reasonCodes.map((r) => ({ ...r })),
    shippingPolicy: rules.shippingPolicy,
    approvalExpiryHours: String(rules.approvalExpiryHours),
  };
}

function toRules(d: Draft): RulesConfig {
  return {
    agentLimits: Object.fromEntries(d.limits.map((l) => [l.currency, l.amount.trim()])),
    managerLimitMultiple: Number(d.managerLimitMultiple),
    velocity: { otherOrdersIn24h: Number(d.otherOrdersIn24h), refundedMultipleOfLimitIn7d: Number(d.refundedMultipleOfLimitIn7d) },
    reasonCodes: d.reasonCodes,
    shippingPolicy: d.shippingPolicy,
    approvalExpiryHours: Number(d.approvalExpiryHours),
  };
}

const FIELD_NAMES: [RegExp, string][] = [
  [/^agentLimits\.?/, "Agent limit "],
  [/^managerLimitMultiple/, "Store manager limit"],
  [/^velocity\.otherOrdersIn24h/, "Velocity: other orders in 24 h"],
  [/^velocity\.refundedMultipleOfLimitIn7d/, "Velocity: refunded in 7 days"],
  [/^reasonCodes\.?/, "Reason codes "],
  [/^approvalExpiryHours/, "Approval expiry"],
];

function problemsOf(error: unknown): string[] {
  const info = appErrorOf(error);
  if (info?.code !== "VALIDATION_FAILED" || !Array.isArray(info.details)) return [describeAppError(error)];
  return (info.details as { path?: string; message?: string }[]).map((d) => {
    const path = (d.path ?? "").replace(/^rules\./, "");
    const named = FIELD_NAMES.reduce((p, [re, name]) => (re.test(p) ? p.replace(re, name) : p), path);
    return `${named.trim() || "Rules"}: ${d.message}`;
  });
}

function NumberField({ id, label, hint, value, onChange, min = 1, max }: { id: string; label: string; hint: string; value: string; onChange: (v: string) => void; min?: number; max: number }) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input id={id} type="number" min={min} max={max} step={1} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-hint`} className={`${fieldClass} w-40`} />
      <p id={`${id}-hint`} className={hintClass}>
        {hint}
      </p>
    </div>
  );
}

function Editor({ view }: { view: RulesView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft>(() => toDraft(view.rules));
  const [problems, setProblems] = useState<string[]>([]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const multiple = Number(draft.managerLimitMultiple);

  const save = useMutation(
    trpc.admin.rules.save.mutationOptions({
      onSuccess: async (saved) => {
        setProblems([]);
        toast.show(`Version ${saved.version} saved; in force from the next preview.`, "success");
        await queryClient.invalidateQueries({ queryKey: trpc.admin.rules.get.queryKey() });
      },
      onError: (error) => setProblems(problemsOf(error)),
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ baseVersion: view.version, rules: toRules(draft) });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="rules-heading" className="space-y-5">
      <p className="text-sm text-slate-700" data-testid="rules-version">
        {view.version === 0 ? "The defaults of the specification are in force (no version saved yet)." : `Version ${view.version} is in force.`} Saving creates
        version {view.version + 1}; the next preview in every app instance uses it.
      </p>

      <fieldset className={sectionClass}>
        <legend className="px-1 text-base font-semibold">Approval limits</legend>
        <div className="space-y-4">
          <AgentLimitsEditor limits={draft.limits} multiple={multiple} onChange={(limits) => set({ limits })} />
          <NumberField
            id="manager-multiple"
            label="Store manager limit (× the agent limit)"
            hint="Above it, a system admin approves."
            value={draft.managerLimitMultiple}
            onChange={(v) => set({ managerLimitMultiple: v })}
            max={1000}
          />
        </div>
      </fieldset>

      <fieldset className={sectionClass}>
        <legend className="px-1 text-base font-semibold">Velocity</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <NumberField
            id="velocity-orders"
            label="Other orders with cancellations in 24 hours"
            hint="From this many other orders of the customer, an agent's cancellation needs approval."
            value={draft.otherOrdersIn24h}
            onChange={(v) => set({ otherOrdersIn24h: v })}
            max={1000}
          />
          <NumberField
            id="velocity-refunded"
            label="Refunded in 7 days (× the agent limit)"
            hint="From this multiple of the agent limit refunded to the customer, approval is needed."
            value={draft.refundedMultipleOfLimitIn7d}
            onChange={(v) => set({ refundedMultipleOfLimitIn7d: v })}
            max={1000}
          />
        </div>
      </fieldset>

      <fieldset className={sectionClass}>
        <legend className="px-1 text-base font-semibold">Reason codes</legend>
        <ReasonCodesEditor codes={draft.reasonCodes} onChange={(reasonCodes) => set({ reasonCodes })} />
      </fieldset>

      <fieldset className={sectionClass}>
        <legend className="px-1 text-base font-semibold">Shipping and expiry</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <fieldset>
            <legend className={labelClass}>Shipping refund</legend>
            <div className="mt-1 space-y-1 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name="shipping" checked={draft.shippingPolicy === "full_cancellation"} onChange={() => set({ shippingPolicy: "full_cancellation" })} />
                With the cancellation that cancels the last unit
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="shipping" checked={draft.shippingPolicy === "never"} onChange={() => set({ shippingPolicy: "never" })} />
                Never
              </label>
            </div>
          </fieldset>
          <NumberField
            id="approval-expiry"
            label="Approval expiry (hours)"
            hint="An undecided request expires after this; its held units become cancellable again."
            value={draft.approvalExpiryHours}
            onChange={(v) => set({ approvalExpiryHours: v })}
            max={720}
          />
        </div>
      </fieldset>

      {problems.length > 0 && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-semibold">Nothing was saved</p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save rules"}
        </Button>
        <Button variant="secondary" onClick={() => (setDraft(toDraft(view.rules)), setProblems([]))} disabled={save.isPending}>
          Discard changes
        </Button>
      </div>

      {view.history.length > 0 && (
        <section aria-labelledby="rules-history" className={sectionClass}>
          <h2 id="rules-history" className="text-base font-semibold">
            History
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {view.history.map((h) => (
              <li key={h.version}>
                Version {h.version}, {formatDateTime(h.createdAt)}
                {h.createdBy ? ` by ${h.createdBy}` : ""}
              </li>
            ))}
          </ul>
        </section>
      )}
    </form>
  );
}

export function BusinessRulesEditor() {
  const trpc = useTRPC();
  const rules = useQuery({ ...trpc.admin.rules.get.queryOptions(), staleTime: 0 });
  if (rules.isPending) return <p className="text-sm text-slate-700">Loading the rules…</p>;
  if (rules.isError) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
        {describeAppError(rules.error)}
      </p>
    );
  }
  // A new version remounts the editor with what was saved.
  return <Editor key={rules.data.version} view={rules.data} />;
}
