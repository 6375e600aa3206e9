"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { AppRouter } from "@/server/api/root";
import { describeAppError } from "../app-error";
import { Badge, ProgressBadge } from "../badge";
import { Button } from "../button";
import { formatMoney } from "../format-money";
import { LocalTime } from "../local-time";
import { useTRPC } from "../trpc";
import { MY_REQUEST_TABS, type MyRequestTab } from "./my-request-tabs";
import { WithdrawRequest } from "./withdraw-request";

type MyRequestsView = inferRouterOutputs<AppRouter>["cancellation"]["mine"];
type MyRequest = MyRequestsView["requests"][number];


/** While anything may still change, ask every few seconds; once all is final, now and then. */
export const LIVE_POLL_MS = 4_000;
const IDLE_POLL_MS = 30_000;
const SETTLED = new Set(["completed", "failed", "rejected", "expired", "withdrawn"]);

const reasonWords: Record<string, string> = { limit: "over your limit", manager_limit: "over the store manager's limit", velocity: "velocity" };

/** The agent's own work (issue 15, point 7): their requests with live status, decisions and withdraw. */
export function MyRequests({ group }: { group: MyRequestTab }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.queryOptions());
  const list = useQuery(
    trpc.cancellation.mine.queryOptions(
      { group },
      {
        placeholderData: keepPreviousData,
        refetchIntervalInBackground: false,
        refetchInterval: (query) => (query.state.data?.requests.some((r) => !SETTLED.has(r.status) || r.progress.phase === "waiting_for_manual_refund") ? LIVE_POLL_MS : IDLE_POLL_MS),
      },
    ),
  );
  const counts = list.data?.counts;

  return (
    <div className="space-y-4">
      <nav aria-label="Which requests" className="flex flex-wrap gap-2">
        {MY_REQUEST_TABS.map((t) => (
          <Link
            key={t.group}
            href={t.group === "all" ? "/requests" : `/requests?group=${t.group}`}
            aria-current={t.group === group ? "page" : undefined}
            className={`rounded-full border px-3 py-1.5 text-sm font-medium ${t.group === group ? "border-blue-700 bg-blue-700 text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-100"}`}
          >
            {t.label}
            {counts && <span className="ml-1 tabular-nums">({counts[t.group]})</span>}
          </Link>
        ))}
      </nav>

      <section aria-labelledby="my-requests-heading" aria-busy={list.isFetching}>
        <h2 id="my-requests-heading" className="sr-only">
          {MY_REQUEST_TABS.find((t) => t.group === group)!.label} requests
        </h2>
        {list.isPending ? (
          <p role="status" className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-700">
            Loading your requests…
          </p>
        ) : list.isError && !list.data ? (
          <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
            <p>{describeAppError(list.error)}</p>
            <Button variant="secondary" className="mt-2" onClick={() => list.refetch()}>
              Try again
            </Button>
          </div>
        ) : list.data.requests.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-700">
            {group === "all" ? "You have not requested any cancellation yet." : "No requests here."}{" "}
            <Link href="/orders" className="font-medium text-blue-800 underline">
              Find an order
            </Link>
          </p>
        ) : (
          <ul aria-label="Your cancellation requests" className="space-y-3">
            {list.data.requests.map((r) => (
              <RequestCard key={r.cancellationId} request={r} myUserId={me.data?.userId ?? null} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function RequestCard({ request: r, myUserId }: { request: MyRequest; myUserId: string | null }) {
  const statusHref = `/orders/${r.orderId}/cancellations/${r.cancellationId}`;
  const items = r.items.map((i) => `${i.quantity} × ${i.description}`).join(", ");
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" aria-label={`Order ${r.externalId}, ${formatMoney(r.refundAmount, r.currency)}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium break-words">
            <Link href={`/orders/${r.orderId}`} className="text-blue-800 underline underline-offset-2">
              Order {r.externalId}
            </Link>{" "}
            <span className="text-slate-600">· {r.storeId}</span>
          </p>
          <p className="text-sm break-words text-slate-700">{items}</p>
        </div>
        <div className="text-right">
          <p className="font-semibold tabular-nums">{formatMoney(r.refundAmount, r.currency)}</p>
          <ProgressBadge progress={r.progress} />
        </div>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-slate-700">
        <dt>Requested</dt>
        <dd>
          <LocalTime iso={r.createdAt} />
        </dd>
        {r.status === "pending_approval" && r.approvalReasons.length > 0 && (
          <>
            <dt>Needs approval</dt>
            <dd>{r.approvalReasons.map((a) => reasonWords[a] ?? a).join(", ")}</dd>
          </>
        )}
        {r.expiresAt && (
          <>
            <dt>Expires</dt>
            <dd>
              <LocalTime iso={r.expiresAt} />
            </dd>
          </>
        )}
        {r.decision && (
          <>
            <dt>Decision</dt>
            <dd>
              <Badge tone={r.decision.decision === "approved" ? "success" : r.decision.decision === "rejected" ? "danger" : "neutral"}>
                {r.decision.decision === "approved" ? "Approved" : r.decision.decision === "rejected" ? "Rejected" : "Expired"}
              </Badge>{" "}
              {r.decision.by && <>by {r.decision.by}, </>}
              <LocalTime iso={r.decision.at} />
              {r.decision.note && <span className="block break-words">“{r.decision.note}”</span>}
            </dd>
          </>
        )}
        {r.failureReason && (
          <>
            <dt>Why it failed</dt>
            <dd className="break-words">{r.failureReason}</dd>
          </>
        )}
      </dl>
      <p className="mt-1 text-sm text-slate-700">{r.progress.summary}</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Link href={statusHref} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-900 hover:bg-slate-100">
          Status and timeline
        </Link>
        {myUserId && <WithdrawRequest cancellation={{ orderId: r.orderId, cancellationId: r.cancellationId, status: r.status, requestedBy: { userId: myUserId } }} />}
      </div>
    </li>
  );
}
