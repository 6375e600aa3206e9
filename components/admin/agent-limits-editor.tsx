"use client";

import { useState, type KeyboardEvent } from "react";
import { Button } from "../button";
import { formatMoney } from "../format-money";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { multiplyDecimal } from "./decimal";
import { fieldClass, hintClass, labelClass } from "./form-styles";

export interface LimitRow {
  currency: string;
  amount: string;
}

/** The id of a currency's limit input, so that a save's error can be shown and focused there. */
export const limitFieldId = (currency: string) => `rule-agentLimits-${currency}`;

export function AgentLimitsEditor({
  limits,
  multiple,
  errors = {},
  onChange,
}: {
  limits: LimitRow[];
  multiple: number;
  /** Currency → what is wrong with its limit. */
  errors?: Record<string, string>;
  onChange: (limits: LimitRow[]) => void;
}) {
  const [currency, setCurrency] = useState("");
  const [amount, setAmount] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const addOnEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the row here instead of submitting (saving) the whole rules form.
    if (event.key === "Enter") {
      event.preventDefault();
      add();
    }
  };

  function add() {
    const code = currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) return setProblem("Enter a three-letter ISO 4217 code, e.g. CHF.");
    if (limits.some((l) => l.currency === code)) return setProblem(`${code} has a limit already; change it in the table.`);
    if (!amount.trim()) return setProblem("Enter the agent limit for this currency.");
    onChange([...limits, { currency: code, amount: amount.trim() }]);
    setCurrency("");
    setAmount("");
    setProblem(null);
  }

  return (
    <div className="space-y-3">
      <Table label="Agent limits per currency" caption="The agent limit per cancellation and the store-manager limit it implies, per currency">
        <THead>
          <TR>
            <TH>Currency</TH>
            <TH>Agent limit</TH>
            <TH numeric>Store manager limit</TH>
            <TH>
              <span className="sr-only">Remove</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {limits.map((l, i) => {
            const manager = multiplyDecimal(l.amount, multiple);
            return (
              <TR key={l.currency}>
                <TD className="font-medium">{l.currency}</TD>
                <TD>
                  <input
                    id={limitFieldId(l.currency)}
                    aria-label={`Agent limit, ${l.currency}`}
                    inputMode="decimal"
                    value={l.amount}
                    aria-invalid={errors[l.currency] ? true : undefined}
                    aria-describedby={errors[l.currency] ? `${limitFieldId(l.currency)}-error` : undefined}
                    onChange={(e) => onChange(limits.map((x, j) => (j === i ? { ...x, amount: e.target.value } : x)))}
                    className={`w-36 rounded-md border px-2 py-1 text-sm tabular-nums ${errors[l.currency] ? "border-red-600" : "border-slate-300"}`}
                  />
                  {errors[l.currency] && (
                    <p id={`${limitFieldId(l.currency)}-error`} className="mt-1 max-w-xs text-xs text-red-700">
                      {errors[l.currency]}
                    </p>
                  )}
                </TD>
                <TD numeric>{manager ? formatMoney(manager, l.currency) : "—"}</TD>
                <TD>
                  <Button variant="ghost" aria-label={`Remove the ${l.currency} limit`} onClick={() => onChange(limits.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
      <p className={hintClass}>
        Amounts are in major units with at most the currency&apos;s decimals (USD 2, JPY 0, KWD 3). A currency without a limit needs approval for
        every agent cancellation, by a system admin.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="new-limit-currency" className={labelClass}>
            Currency code
          </label>
          <input id="new-limit-currency" onKeyDown={addOnEnter} value={currency} onChange={(e) => setCurrency(e.target.value)} maxLength={3} className={`${fieldClass} w-28 uppercase`} />
        </div>
        <div>
          <label htmlFor="new-limit-amount" className={labelClass}>
            Agent limit
          </label>
          <input id="new-limit-amount" onKeyDown={addOnEnter} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} className={`${fieldClass} w-36`} />
        </div>
        <Button variant="secondary" onClick={add}>
          Add currency
        </Button>
      </div>
      {problem && (
        <p role="alert" className="text-sm text-red-800">
          {problem}
        </p>
      )}
    </div>
  );
}
