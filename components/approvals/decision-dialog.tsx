"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "../button";
import { Dialog } from "../dialog";

export type Decision = "approve" | "reject";

/**
 * Confirms a decision. Rejecting needs a note (the requester and the customer
 * are told why); approving takes an optional one.
 */
export function DecisionDialog({
  decision,
  summary,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  decision: Decision | null;
  summary: string;
  busy: boolean;
  error: string | null;
  onSubmit: (note: string) => void;
  onClose: () => void;
}) {
  const noteId = useId();
  const hintId = useId();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [missingNote, setMissingNote] = useState(false);
  const reject = decision === "reject";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get("note") ?? "").trim();
    if (reject && !note) {
      setMissingNote(true);
      noteRef.current?.focus();
      return;
    }
    onSubmit(note);
  }

  return (
    <Dialog
      open={decision !== null}
      onClose={() => {
        setMissingNote(false);
        onClose();
      }}
      dismissible={!busy}
      title={reject ? "Reject this cancellation" : "Approve this cancellation"}
      description={summary}
      initialFocusRef={noteRef}
    >
      <form onSubmit={submit} noValidate className="space-y-4 text-sm">
        <div>
          <label htmlFor={noteId} className="font-medium text-slate-800">
            {reject ? "Why are you rejecting it? (required)" : "Note (optional)"}
          </label>
          <textarea
            ref={noteRef}
            id={noteId}
            name="note"
            rows={3}
            maxLength={1000}
            required={reject}
            aria-invalid={missingNote || undefined}
            aria-describedby={hintId}
            onChange={() => setMissingNote(false)}
            className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 ${missingNote ? "border-red-600" : "border-slate-300"}`}
          />
          <p id={hintId} className={`mt-1 text-xs ${missingNote ? "text-red-700" : "text-slate-600"}`}>
            {missingNote ? "Write a note: the requester sees why it was rejected." : reject ? "The requester sees this note." : "Kept with the approval in the audit log."}
          </p>
        </div>
        {error && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900">
            {error}
          </p>
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Keep pending
          </Button>
          <Button type="submit" variant={reject ? "danger" : "primary"} disabled={busy}>
            {busy ? "Saving…" : reject ? "Reject cancellation" : "Approve cancellation"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
