"use client";

import { useId, useState, type KeyboardEvent } from "react";

/**
 * A whole-number spinbutton from `min` to `max`: ArrowUp/ArrowDown step, Home/End jump, the − and +
 * buttons click. A typed value outside the range (or not a number) is refused and the field keeps
 * its value; a hint says what is allowed.
 */
export function Stepper({
  id,
  label,
  value,
  min = 0,
  max,
  onChange,
  disabled,
}: {
  id?: string;
  /** The accessible name, e.g. "Quantity to cancel of Red shirt". */
  label: string;
  value: number;
  min?: number;
  max: number;
  onChange: (value: number) => void;
  disabled?: boolean;
}) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = `${inputId}-hint`;
  const [draft, setDraft] = useState<string | null>(null);
  const [refused, setRefused] = useState(false);
  const set = (n: number) => {
    setRefused(false);
    setDraft(null);
    onChange(Math.min(max, Math.max(min, n)));
  };

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const step: Record<string, number> = { ArrowUp: value + 1, ArrowDown: value - 1, Home: min, End: max, PageUp: value + 5, PageDown: value - 5 };
    if (event.key in step) {
      event.preventDefault();
      set(step[event.key]!);
    }
  }

  function onType(text: string) {
    const trimmed = text.trim();
    if (trimmed === "") {
      setDraft("");
      setRefused(false);
      onChange(min);
      return;
    }
    const n = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) set(n);
    else setRefused(true);
  }

  const button =
    "flex h-9 w-9 items-center justify-center text-lg text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-300";
  return (
    <div className="inline-flex flex-col items-start">
      <div className={`inline-flex items-center overflow-hidden rounded-md border bg-white ${refused ? "border-red-600" : "border-slate-300"}`}>
        <button type="button" tabIndex={-1} className={button} aria-label={`Decrease ${label}`} disabled={disabled || value <= min} onClick={() => set(value - 1)}>
          −
        </button>
        <input
          id={inputId}
          type="text"
          role="spinbutton"
          inputMode="numeric"
          autoComplete="off"
          aria-label={label}
          aria-valuemin={min}
          aria-valuemax={max}
          aria-valuenow={value}
          aria-describedby={hintId}
          aria-invalid={refused || undefined}
          disabled={disabled}
          value={draft ?? String(value)}
          onChange={(e) => onType(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setDraft(null)}
          className="h-9 w-12 border-x border-slate-300 text-center text-sm tabular-nums outline-offset-0 disabled:bg-slate-50 disabled:text-slate-400"
        />
        <button type="button" tabIndex={-1} className={button} aria-label={`Increase ${label}`} disabled={disabled || value >= max} onClick={() => set(value + 1)}>
          +
        </button>
      </div>
      <span id={hintId} aria-live="polite" className={`mt-1 text-xs ${refused ? "text-red-700" : "sr-only"}`}>
        {refused ? `Enter a whole number from ${min} to ${max}.` : `From ${min} to ${max}.`}
      </span>
    </div>
  );
}
