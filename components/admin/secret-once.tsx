"use client";

import { useState } from "react";
import { Button } from "../button";
import { Dialog } from "../dialog";

export interface Secret {
  label: string;
  value: string;
  hint?: string;
}

/** Secrets the server returns once (passwords, TOTP secrets, API keys): shown here, never again. */
export function SecretOnceDialog({ title, secrets, onClose }: { title: string; secrets: Secret[] | null; onClose: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <Dialog open={secrets !== null} onClose={onClose} title={title} description="Copy it now: it is shown only this once and is not stored in a readable form.">
      <div className="space-y-4 text-sm">
        {secrets?.map((s) => (
          <div key={s.label}>
            <p className="font-medium text-slate-800">{s.label}</p>
            <div className="mt-1 flex items-center gap-2">
              <code data-testid={`secret-${s.label}`} className="block flex-1 break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-sm">
                {s.value}
              </code>
              <Button
                variant="secondary"
                aria-label={`Copy ${s.label}`}
                onClick={async () => {
                  await navigator.clipboard?.writeText(s.value).catch(() => undefined);
                  setCopied(s.label);
                }}
              >
                {copied === s.label ? "Copied" : "Copy"}
              </Button>
            </div>
            {s.hint && <p className="mt-1 text-xs text-slate-600">{s.hint}</p>}
          </div>
        ))}
        <div className="flex justify-end">
          <Button onClick={onClose}>I have saved it</Button>
        </div>
      </div>
    </Dialog>
  );
}
