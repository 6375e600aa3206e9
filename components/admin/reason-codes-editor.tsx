"use client";

import { useState, type KeyboardEvent } from "react";
import { Badge } from "../badge";
import { Button } from "../button";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { fieldClass, hintClass, labelClass } from "./form-styles";

export interface ReasonCodeRow {
  code: string;
  requiresNote: boolean;
  active: boolean;
}

/** Codes are added and retired, never deleted: old cancellations keep their reason. */
export function ReasonCodesEditor({ codes, onChange }: { codes: ReasonCodeRow[]; onChange: (codes: ReasonCodeRow[]) => void }) {
  const [code, setCode] = useState("");
  const [requiresNote, setRequiresNote] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const update = (i: number, patch: Partial<ReasonCodeRow>) => onChange(codes.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const addOnEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the row here instead of submitting (saving) the whole rules form.
    if (event.key === "Enter") {
      event.preventDefault();
      add();
    }
  };

  function add() {
    const value = code.trim().toUpperCase().replace(/\s+/g, "_");
    if (!/^[A-Z][A-Z0-9_]{1,39}$/.test(value)) return setProblem("Use 2–40 capital letters, digits or underscores, starting with a letter.");
    if (codes.some((c) => c.code === value)) return setProblem(`${value} exists already.`);
    onChange([...codes, { code: value, requiresNote, active: true }]);
    setCode("");
    setRequiresNote(false);
    setProblem(null);
  }

  return (
    <div className="space-y-3">
      <Table label="Reason codes" caption="Cancellation reason codes, whether they need a note, and whether they can still be chosen">
        <THead>
          <TR>
            <TH>Code</TH>
            <TH>Needs a note</TH>
            <TH>Status</TH>
            <TH>
              <span className="sr-only">Action</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {codes.map((c, i) => (
            <TR key={c.code}>
              <TD className="font-mono text-xs">{c.code}</TD>
              <TD>
                <input
                  type="checkbox"
                  aria-label={`${c.code} needs a note`}
                  checked={c.requiresNote}
                  onChange={(e) => update(i, { requiresNote: e.target.checked })}
                  className="h-4 w-4"
                />
              </TD>
              <TD>{c.active ? <Badge tone="success">Active</Badge> : <Badge>Retired</Badge>}</TD>
              <TD>
                <Button variant="ghost" aria-label={`${c.active ? "Retire" : "Reactivate"} ${c.code}`} onClick={() => update(i, { active: !c.active })}>
                  {c.active ? "Retire" : "Reactivate"}
                </Button>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="new-reason-code" className={labelClass}>
            New reason code
          </label>
          <input id="new-reason-code" onKeyDown={addOnEnter} value={code} onChange={(e) => setCode(e.target.value)} placeholder="WAREHOUSE_DAMAGE" className={`${fieldClass} w-56 uppercase`} />
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" checked={requiresNote} onChange={(e) => setRequiresNote(e.target.checked)} className="h-4 w-4" />
          Needs a note
        </label>
        <Button variant="secondary" onClick={add}>
          Add reason code
        </Button>
      </div>
      <p className={hintClass}>A retired code can no longer be chosen for new cancellations; past cancellations keep it.</p>
      {problem && (
        <p role="alert" className="text-sm text-red-800">
          {problem}
        </p>
      )}
    </div>
  );
}
