"use client";

import { useId, useState, type KeyboardEvent } from "react";

type Message = { kind: "refused"; text: string } | { kind: "clamped"; text: string } | null;

/**
 * A whole-number spinbutton from `min` to `max`. Keys: ArrowUp/ArrowDown and + / − step by one,
 * PageUp/PageDown by five, Home/End jump to the ends; digits type a value. A typed number above
 * `max` becomes `max` and says so; text that is not a whole number is refused (the field keeps
 * the last valid value and says what is allowed). The refusal goes once the value is valid again
 * (the next valid keystroke, step or click, or leaving the field); the clamp note at the next change.
 */
export function Stepper({
  id,
  label,
  value,
  min = 0,
  max,
  onChange,
  disabled,
  unit = "can be chosen",
}: {
  id?: string;
  /** The accessible name, e.g. "Quantity to cancel, Red shirt". */
  label: string;
  value: number;
  min?: number;
  max: number;
  onChange: (value: number) => void;
  disabled?: boolean;
  /** Completes the clamp message "Only 3 …", e.g. "can be cancelled". */
  unit?: string;
}) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = `${inputId}-hint`;
  const [draft, setDraft] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const set = (n: number) => {
    setMessage(null);
    setDraft(null);
    onChange(Math.min(max, Math.max(min, n)));
  };

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const step: Record<string, number> = {
      ArrowUp: value + 1,
      ArrowDown: value - 1,
      "+": value + 1,
      "=": value + 1,
      "-": value - 1,
      "−": value - 1,
      _: value - 1,
      Home: min,
      End: max,
      PageUp: value + 5,
      PageDown: value - 5,
    };
    if (event.key in step) {
      event.preventDefault();
      set(step[event.key]!);
    }
  }

  function onType(text: string) {
    const trimmed = text.trim();
    if (trimmed === "") {
      // An empty field is a value being typed: it counts as `min` until a digit comes.
      setDraft("");
      setMessage(null);
      onChange(min);
      return;
    }
    const n = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) {
      set(n);
    } else if (/^\d+$/.test(trimmed) && n > max) {
      set(max);
      setMessage({ kind: "clamped", text: `Only ${max} ${unit}: set to ${max}.` });
    } else {
      setDraft(text);
      setMessage({ kind: "refused", text: `Enter a whole number from ${min} to ${max}.` });
    }
  }

  const refused = message?.kind === "refused";
  const button =
    "flex h-9 w-9 items-center justify-center text-lg text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:text-slate-300";
  return (
    <div className="inline-flex flex-col items-start">
      {/* No overflow clipping here: the field's focus ring (outline, offset 2 px) must show whole. */}
      <div className={`inline-flex items-center rounded-md border bg-white ${refused ? "border-red-600" : "border-slate-300"}`}>
        <button type="button" tabIndex={-1} className={`${button} rounded-l-md`} aria-label={`Decrease ${label}`} disabled={disabled || value <= min} onClick={() => set(value - 1)}>
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
          onFocus={(e) => e.currentTarget.select()}
          onBlur={() => {
            // Leaving the field shows its valid value again, so a refusal has nothing left to say; "set to 3" stays until the next change.
            setDraft(null);
            if (refused) setMessage(null);
          }}
          className="relative h-9 w-12 border-x border-slate-300 text-center text-sm tabular-nums focus-visible:z-10 disabled:bg-slate-50 disabled:text-slate-400"
        />
        <button type="button" tabIndex={-1} className={`${button} rounded-r-md`} aria-label={`Increase ${label}`} disabled={disabled || value >= max} onClick={() => set(value + 1)}>
          +
        </button>
      </div>
      <span id={hintId} aria-live="polite" data-testid={`${inputId}-message`} className={message ? `mt-1 max-w-48 text-xs ${refused ? "text-red-700" : "text-amber-800"}` : "sr-only"}>
        {message ? message.text : `From ${min} to ${max}.`}
      </span>
    </div>
  );
}
