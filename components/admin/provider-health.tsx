"use client";

import { useQuery } from "@tanstack/react-query";
import { describeAppError } from "../app-error";
import { Badge } from "../badge";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { sectionClass } from "./form-styles";

const STATES = {
  closed: { label: "Closed (calls go through)", tone: "success" },
  "half-open": { label: "Half-open (trying again)", tone: "warning" },
  open: { label: "Open (calls refused)", tone: "danger" },
} as const;

const PROVIDERS: Record<string, string> = { stripe: "Stripe", paypal: "PayPal", adyen: "Adyen", warehouse: "Warehouse (Manhattan Active WM)" };

export function ProviderHealth() {
  const trpc = useTRPC();
  const health = useQuery(trpc.admin.operations.providerHealth.queryOptions(undefined, { refetchInterval: 5_000 }));
  return (
    <section aria-labelledby="providers-heading" className={sectionClass}>
      <h2 id="providers-heading" className="text-base font-semibold">
        Payment providers and the warehouse
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        The circuit breakers every worker uses: their state is kept in the database, so a breaker that one worker opens stops the others calling
        that provider (or the warehouse) too, and cancellations waiting on it say so.
      </p>
      {health.isPending ? (
        <p className="mt-3 text-sm text-slate-700">Loading…</p>
      ) : health.isError ? (
        <p role="alert" className="mt-3 text-sm text-red-800">
          {describeAppError(health.error)}
        </p>
      ) : (
        <div className="mt-3 grid gap-4 lg:grid-cols-2">
          <Table label="Circuit breakers">
            <THead>
              <TR>
                <TH>Provider</TH>
                <TH>Circuit</TH>
                <TH>Since</TH>
                <TH>Last failure</TH>
              </TR>
            </THead>
            <TBody>
              {health.data.circuits.map((c) => (
                <TR key={c.provider}>
                  <TD>{PROVIDERS[c.provider] ?? c.provider}</TD>
                  <TD>
                    <Badge tone={STATES[c.state as keyof typeof STATES]?.tone ?? "neutral"}>{STATES[c.state as keyof typeof STATES]?.label ?? c.state}</Badge>
                  </TD>
                  <TD className="whitespace-nowrap">{c.state === "closed" ? "—" : <LocalTime iso={c.openedAt ?? c.updatedAt} />}</TD>
                  <TD className="break-words text-xs">{c.state === "closed" ? "—" : (c.lastFailure ?? "—")}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Table label="Workers">
            <THead>
              <TR>
                <TH>Worker</TH>
                <TH>Started</TH>
                <TH>Last seen</TH>
              </TR>
            </THead>
            <TBody>
              {health.data.workers.length === 0 ? (
                <TR>
                  <TD colSpan={3}>No worker has reported.</TD>
                </TR>
              ) : (
                health.data.workers.map((w) => (
                  <TR key={w.workerId}>
                    <TD className="font-mono text-xs">{w.workerId}</TD>
                    <TD className="whitespace-nowrap"><LocalTime iso={w.startedAt} /></TD>
                    <TD className="whitespace-nowrap"><LocalTime iso={w.seenAt} /></TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
        </div>
      )}
    </section>
  );
}
