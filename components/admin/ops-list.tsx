"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { useId, type FormEvent, type ReactNode } from "react";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { Dialog } from "../dialog";
import { Table, TBody, TH, THead, TR } from "../table";
import { fieldClass, labelClass, sectionClass } from "./form-styles";

/*
 * One list of the admin's operations screen (dead letters, parked events, warehouse differences):
 * a heading with an optional "show resolved" filter, what the list is, and its table, with the
 * loading, error and empty states said the same way everywhere; and the dialog that resolves an
 * entry with a note.
 */

export interface OpsColumn {
  label: string;
  numeric?: boolean;
}

export function OpsList<T, E>({
  id,
  title,
  description,
  resolved,
  rows,
  empty,
  caption,
  columns,
  row,
  children,
}: {
  /** The heading's id stem: `${id}-heading`. */
  id: string;
  title: string;
  description: string;
  /** The "Show resolved ones too" switch, for lists whose entries get resolved. */
  resolved?: { include: boolean; onChange: (include: boolean) => void };
  rows: UseQueryResult<T[], E>;
  empty: string;
  caption: string;
  /** The columns before the last one, which holds each row's actions. */
  columns: OpsColumn[];
  row: (item: T) => ReactNode;
  /** Rendered after the list (its dialogs). */
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className={sectionClass}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-base font-semibold">
          {title}
        </h2>
        {resolved && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={resolved.include} onChange={(e) => resolved.onChange(e.target.checked)} className="h-4 w-4" />
            Show resolved ones too
          </label>
        )}
      </div>
      <p className="mt-1 text-sm text-slate-700">{description}</p>
      <div className="mt-3">
        {rows.isPending ? (
          <p className="text-sm text-slate-700">Loading…</p>
        ) : rows.isError ? (
          <p role="alert" className="text-sm text-red-800">
            {describeAppError(rows.error)}
          </p>
        ) : rows.data.length === 0 ? (
          <p className="text-sm text-slate-700">{empty}</p>
        ) : (
          <Table label={title} caption={caption}>
            <THead>
              <TR>
                {columns.map((c) => (
                  <TH key={c.label} numeric={c.numeric}>
                    {c.label}
                  </TH>
                ))}
                <TH>
                  <span className="sr-only">Action</span>
                </TH>
              </TR>
            </THead>
            <TBody>{rows.data.map(row)}</TBody>
          </Table>
        )}
      </div>
      {children}
    </section>
  );
}

/** Marks an entry resolved with a note (required), without doing anything else. */
export function ResolveWithNoteDialog({
  open,
  title,
  description,
  pending,
  error,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  description: string | undefined;
  pending: boolean;
  /** The resolve call's error, null while there is none. */
  error: unknown;
  onClose: () => void;
  onSubmit: (note: string) => void;
}) {
  const noteId = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(String(new FormData(event.currentTarget).get("note") ?? ""));
  }
  return (
    <Dialog open={open} onClose={onClose} dismissible={!pending} title={title} description={description}>
      <form onSubmit={submit} className="space-y-4 text-sm">
        <div>
          <label htmlFor={noteId} className={labelClass}>
            Note (required)
          </label>
          <textarea id={noteId} name="note" required maxLength={1000} rows={3} className={fieldClass} />
        </div>
        {error != null && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900">
            {describeAppError(error)}
          </p>
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Mark resolved"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
