"use client";

import { useQuery } from "@tanstack/react-query";
import type { CancellationRequest } from "../orders/types";
import { useTRPC } from "../trpc";

/**
 * The "notify the customer" choice of the confirm dialog, with the email that will go out
 * (the same template the worker sends, for exactly this request).
 */
export function CustomerEmailChoice({
  orderId,
  request,
  notify,
  disabled,
  onChange,
}: {
  orderId: string;
  request: CancellationRequest;
  notify: boolean;
  disabled: boolean;
  onChange: (notify: boolean) => void;
}) {
  const trpc = useTRPC();
  const { notifyCustomer: _ignored, ...emailed } = request;
  const preview = useQuery({ ...trpc.cancellation.emailPreview.queryOptions({ orderId, request: emailed }), retry: false, staleTime: 30_000 });
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <label className="flex items-start gap-2">
        <input type="checkbox" className="mt-1" checked={notify} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
        <span>
          <span className="font-medium">Email the customer</span>
          <span className="block text-slate-600">
            {preview.data
              ? `To ${preview.data.to}, ${preview.data.sentWhen === "after_approval" ? "once the request is approved and completed" : "when the cancellation completes"}.`
              : "When the cancellation completes."}
          </span>
        </span>
      </label>
      {notify && (
        <details className="mt-2">
          <summary className="cursor-pointer text-sm font-medium text-blue-800">Preview the email</summary>
          {preview.isPending && <p className="mt-2 text-slate-600">Preparing the preview…</p>}
          {preview.isError && <p className="mt-2 text-red-800">The preview is not available: {preview.error.message}</p>}
          {preview.data && (
            <div data-testid="email-preview" className="mt-2 rounded bg-slate-50 p-3">
              <p className="font-semibold">{preview.data.subject}</p>
              <pre className="mt-2 whitespace-pre-wrap font-sans text-sm text-slate-800">{preview.data.text}</pre>
            </div>
          )}
        </details>
      )}
    </div>
  );
}
