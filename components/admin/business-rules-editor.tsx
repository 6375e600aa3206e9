"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { describeRuleChanges, type RuleChange } from "@/server/admin/business-rules/rule-changes";
import { appErrorOf, describeAppError } from "../app-error";
import { Button } from "../button";
import { Dialog } from "../dialog";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { AgentLimitsEditor, limitFieldId, type LimitRow } from "./agent-limits-editor";
import { fieldClass, hintClass, labelClass, sectionClass } from "./form-styles";
import { ReasonCodesEditor, type ReasonCodeRow } from "./reason-codes-editor";
import { ChangesTable, RulesHistory } from "./rules-history";
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

/** Field key (the server's path without "rules.") → the id of the input that holds it. */
function fieldIdOf(key: string): string {
  if (key.startsWith("agentLimits.")) return limitFieldId(key.slice("agentLimits.".length));
  if (key.startsWith("reasonCodes")) return "new-reason-code";
  return (
    {
      managerLimitMultiple: "manager-multiple",
      "velocity.otherOrdersIn24h": "velocity-orders",
      "velocity.refundedMultipleOfLimitIn7d": "velocity-refunded",
      approvalExpiryHours: "approval-expiry",
    }[key] ?? ""
  );
}

/** The order fields appear in on the page, so that focus goes to the first one wrong. */
const FIELD_ORDER = ["agentLimits", "managerLimitMultiple", "velocity.otherOrdersIn24h", "velocity.refundedMultipleOfLimitIn7d", "reasonCodes", "approvalExpiryHours"];
const rank = (key: string) => FIELD_ORDER.findIndex((f) => key.startsWith(f));

type FieldErrors = Record<string, string>;

/** The server's refusal as messages per field; what belongs to no field goes to `general`. */
function fieldErrorsOf(error: unknown): { fields: FieldErrors; general: string[] } {
  const info = appErrorOf(error);
  if (info?.code !== "VALIDATION_FAILED" || !Array.isArray(info.details)) return { fields: {}, general: [describeAppError(error)] };
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const d of info.details as { path?: string; message?: string }[]) {
    const key = (d.path ?? "").replace(/^rules\./, "").replace(/^reasonCodes\.\d+.*$/, "reasonCodes");
    const message = d.message ?? "not valid";
    if (key && fieldIdOf(key)) fields[key] = fields[key] ? `${fields[key]}; ${message}` : message;
    else general.push(message);
  }
  return { fields, general };
}

/** The checks a browser can make before asking the server: whole numbers in range. */
function checkDraft(d: Draft): FieldErrors {
  const errors: FieldErrors = {};
  const whole = (key: string, value: string, min: number, max: number, unit: string) => {
    if (!/^\d+$/.test(value.trim())) errors[key] = `Enter a whole number of ${unit}, from ${min} to ${max}.`;
    else if (Number(value) < min || Number(value) > max) errors[key] = `Enter ${unit} from ${min} to ${max}.`;
  };
  whole("managerLimitMultiple", d.managerLimitMultiple, 1, 1000, "times the agent limit");
  whole("velocity.otherOrdersIn24h", d.otherOrdersIn24h, 1, 1000, "orders");
  whole("velocity.refundedMultipleOfLimitIn7d", d.refundedMultipleOfLimitIn7d, 1, 1000, "times the agent limit");
  whole("approvalExpiryHours", d.approvalExpiryHours, 1, 720, "hours");
  for (const l of d.limits) if (!/^\d+(\.\d+)?$/.test(l.amount.trim())) errors[`agentLimits.${l.currency}`] = `Enter an amount such as 500.00 for ${l.currency}.`;
  return errors;
}

function NumberField({
  id,
  label,
  hint,
  value,
  error,
  onChange,
  min = 1,
  max,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  error?: string;
  onChange: (v: string) => void;
  min?: number;
  max: number;
}) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={1}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
        className={`${fieldClass} w-40 ${error ? "border-red-600" : ""}`}
      />
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs font-medium text-red-700">
          {error}
        </p>
      )}
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
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [review, setReview] = useState<RuleChange[] | null>(null);
  const [focusFirstError, setFocusFirstError] = useState(0);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const multiple = Number(draft.managerLimitMultiple);

  // After a refusal, focus goes to the first field that is wrong (in page order). The review
  // dialog, closed in the same render, has handed focus back to the Save button in its own effect
  // (a child's, so it ran first) and leaves it where this puts it.
  useEffect(() => {
    if (!focusFirstError) return;
    const first = Object.keys(errors).sort((a, b) => rank(a) - rank(b))[0];
    const element = first ? document.getElementById(fieldIdOf(first)) : null;
    element?.focus();
    element?.scrollIntoView({ block: "center" });
  }, [focusFirstError, errors]);

  const refuse = (fields: FieldErrors, general: string[]) => {
    setErrors(fields);
    setProblems(general);
    setFocusFirstError((n) => n + 1);
  };

  const save = useMutation(
    trpc.admin.rules.save.mutationOptions({
      onSuccess: async (saved) => {
        setReview(null);
        setErrors({});
        setProblems([]);
        toast.show(`Version ${saved.version} saved; in force from the next preview.`, "success");
        await queryClient.invalidateQueries({ queryKey: trpc.admin.rules.get.queryKey() });
      },
      onError: (error) => {
        setReview(null);
        const { fields, general } = fieldErrorsOf(error);
        refuse(fields, general);
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const local = checkDraft(draft);
    if (Object.keys(local).length) return refuse(local, []);
    setErrors({});
    setProblems([]);
    const changes = describeRuleChanges(view.rules, toRules(draft));
    if (changes.length === 0) return setProblems([`Nothing to save: these are the rules of version ${view.version} already.`]);
    setReview(changes);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="rules-heading" className="space-y-5">
      <p className="text-sm text-slate-700" data-testid="rules-version">
        {view.version === 0 ? "The standard rules are in force: nobody has changed them yet." : `Version ${view.version} is in force.`} Saving creates version{" "}
        {view.version + 1}; the next preview in every app instance uses it.
      </p>

      <fieldset className={sectionClass}>
        <legend className="px-1 text-base font-semibold">Approval limits</legend>
        <div className="space-y-4">
          <AgentLimitsEditor
            limits={draft.limits}
            multiple={multiple}
            errors={Object.fromEntries(Object.entries(errors).flatMap(([k, m]) => (k.startsWith("agentLimits.") ? [[k.slice("agentLimits.".length), m]] : [])))}
            onChange={(limits) => set({ limits })}
          />
          <NumberField
            id="manager-multiple"
            error={errors["managerLimitMultiple"]}
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
            error={errors["velocity.otherOrdersIn24h"]}
            label="Other orders with cancellations in 24 hours"
            hint="From this many other orders of the customer, an agent's cancellation needs approval."
            value={draft.otherOrdersIn24h}
            onChange={(v) => set({ otherOrdersIn24h: v })}
            max={1000}
          />
          <NumberField
            id="velocity-refunded"
            error={errors["velocity.refundedMultipleOfLimitIn7d"]}
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
        {errors.reasonCodes && (
          <p className="mb-2 text-sm font-medium text-red-700" id="reason-codes-error">
            {errors.reasonCodes}
          </p>
        )}
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
            error={errors["approvalExpiryHours"]}
            label="Approval expiry (hours)"
            hint="An undecided request expires after this; its held units become cancellable again."
            value={draft.approvalExpiryHours}
            onChange={(v) => set({ approvalExpiryHours: v })}
            max={720}
          />
        </div>
      </fieldset>

      {(problems.length > 0 || Object.keys(errors).length > 0) && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-semibold">
            Nothing was saved
            {Object.keys(errors).length > 0 ? `: ${Object.keys(errors).length === 1 ? "one field needs" : `${Object.keys(errors).length} fields need`} a change, marked above.` : "."}
          </p>
          {problems.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={save.isPending}>
          Save rules
        </Button>
        <Button
          variant="secondary"
          onClick={() => {
            setDraft(toDraft(view.rules));
            setErrors({});
            setProblems([]);
          }}
          disabled={save.isPending}
        >
          Discard changes
        </Button>
      </div>

      <Dialog
        open={review !== null}
        onClose={() => setReview(null)}
        dismissible={!save.isPending}
        title={`Save version ${view.version + 1} of the rules?`}
        description="What changes, compared with the rules in force now. It applies from the next preview on."
        initialFocusRef={confirmRef}
      >
        <div className="space-y-4 text-sm">
          {review && <ChangesTable label="What changes" changes={review} />}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={() => setReview(null)} disabled={save.isPending}>
              Keep editing
            </Button>
            <Button ref={confirmRef} onClick={() => save.mutate({ baseVersion: view.version, rules: toRules(draft) })} disabled={save.isPending}>
              {save.isPending ? "Saving…" : `Save version ${view.version + 1}`}
            </Button>
          </div>
        </div>
      </Dialog>

      <RulesHistory history={view.history} />
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
