"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { Badge, type BadgeTone } from "../badge";
import { LocalTime } from "../local-time";
import { useTRPC } from "../trpc";

const STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  pending: { label: "Queued", tone: "info" },
  sending: { label: "Sending", tone: "info" },
  retrying: { label: "Retrying", tone: "warning" },
  sent: { label: "Sent", tone: "success" },
  failed: { label: "Not sent", tone: "danger" },
  skipped: { label: "Not sent", tone: "neutral" },
};
const IN_FLIGHT = new Set(["pending", "sending", "retrying"]);
/** Cancellation statuses that tell the customer something. */
const TOLD = new Set(["completed", "failed", "rejected", "expired", "withdrawn"]);

export function messageStatus(status: string) {
  return STATUS[status] ?? { label: status, tone: "neutral" as const };
}

export function useCustomerMessages(orderId: string, cancellationId: string, status?: string) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.cancellation.messages.queryOptions({ orderId, cancellationId }),
    // Look again while a message is on its way, or while one is due and not recorded yet.
    refetchInterval: (query) => {
      const list = query.state.data ?? [];
      const due = status !== undefined && TOLD.has(status) && list.length === 0;
      return due || list.some((m) => IN_FLIGHT.has(m.status)) ? 2_000 : false;
    },
  });
}

/** The emails to the customer about this cancellation, each linking to the message itself. */
export function CustomerMessages({ orderId, cancellationId, status, messageHref }: { orderId: string; cancellationId: string; status: string; messageHref: (id: string) => string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const messages = useCustomerMessages(orderId, cancellationId, status);
  const list = messages.data ?? [];
  // A message that changed state wrote to the timeline, which the settled status no longer polls.
  const seen = useRef<string | null>(null);
  const states = list.map((m) => `${m.id}:${m.status}`).join();
  useEffect(() => {
    if (seen.current !== null && seen.current !== states) void queryClient.invalidateQueries({ queryKey: trpc.cancellation.get.queryKey({ orderId, cancellationId }) });
    seen.current = states;
  }, [states, queryClient, trpc, orderId, cancellationId]);
  return (
    <section aria-labelledby="messages-heading" className="space-y-2">
      <h2 id="messages-heading" className="text-lg font-semibold">
        Customer email
      </h2>
      {messages.isError ? (
        <p className="text-sm text-red-800">The emails could not be loaded.</p>
      ) : list.length === 0 ? (
        <p className="text-sm text-slate-700">{messages.isPending ? "Loading…" : "No email yet: the customer is emailed when the cancellation completes, fails or its request is decided."}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Emails to the customer">
          {list.map((m) => {
            const s = messageStatus(m.status);
            return (
              <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
                <span>
                  <Link href={messageHref(m.id)} className="font-medium text-blue-800 underline-offset-2 hover:underline">
                    {m.subject}
                  </Link>
                  <span className="block text-slate-600">
                    To {m.to}
                    {m.sentAt ? (
                      <>
                        , sent <LocalTime iso={m.sentAt} />
                      </>
                    ) : m.error ? (
                      `: ${m.error}`
                    ) : (
                      ""
                    )}
                  </span>
                </span>
                <Badge tone={s.tone}>{s.label}</Badge>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** One message as the customer got it (the plain-text part; the HTML part says the same). */
export function CustomerMessage({ orderId, cancellationId, messageId, backHref }: { orderId: string; cancellationId: string; messageId: string; backHref: string }) {
  const messages = useCustomerMessages(orderId, cancellationId);
  const m = messages.data?.find((x) => x.id === messageId);
  const back = (
    <Link href={backHref} className="text-sm text-blue-800 underline-offset-2 hover:underline">
      ← Back to the cancellation
    </Link>
  );
  if (messages.isPending) return <div className="space-y-3">{back}<p role="status">Loading…</p></div>;
  if (!m) {
    return (
      <div className="space-y-3">
        {back}
        <h1 className="text-2xl font-semibold">Email not found</h1>
      </div>
    );
  }
  const s = messageStatus(m.status);
  return (
    <div className="space-y-4">
      {back}
      <h1 className="text-2xl font-semibold">{m.subject}</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">To</dt>
        <dd>{m.to}</dd>
        <dt className="text-slate-600">Status</dt>
        <dd>
          <Badge tone={s.tone}>{s.label}</Badge>
          {m.sentAt ? (
            <>
              {" "}
              <LocalTime iso={m.sentAt} />
            </>
          ) : (
            ""
          )}
          {m.error ? <span className="block text-slate-700">{m.error}</span> : null}
        </dd>
        <dt className="text-slate-600">Attempts</dt>
        <dd>{m.attempts}</dd>
      </dl>
      {m.text === null ? (
        <p className="text-sm text-slate-700">The text of this message is hidden: it holds the customer&rsquo;s personal data.</p>
      ) : (
        <pre data-testid="message-text" className="whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 font-sans text-sm">
          {m.text}
        </pre>
      )}
    </div>
  );
}
