"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";

const COUNT_REFRESH_MS = 30_000;

/** The number beside "Approvals" in the navigation: pending requests the reader can decide now. */
export function ApprovalsCount() {
  const trpc = useTRPC();
  const count = useQuery(trpc.approval.count.queryOptions(undefined, { refetchInterval: COUNT_REFRESH_MS, refetchIntervalInBackground: false }));
  const n = count.data?.count ?? 0;
  if (n === 0) return null;
  return (
    <>
      {" "}
      <span data-testid="approvals-count" className="ml-1 inline-flex min-w-5 items-center justify-center rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-950 ring-1 ring-inset ring-amber-300">
      {n}
        <span className="sr-only"> waiting for your decision</span>
      </span>
    </>
  );
}
