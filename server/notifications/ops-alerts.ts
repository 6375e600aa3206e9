import { createHmac } from "node:crypto";
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";
import { enqueueJob, TASKS } from "@/server/jobs/queue";
import { classifySmtpError } from "./mailer";
import type { Notifier } from "./notifier";

export type IncidentKind = "inventory_release_failed" | "dead_letter" | "manual_refund_overdue" | "circuit_open" | "shipping_unrefundable";

/** An incident with no new occurrence for this long is over; the next occurrence alerts again. */
export const INCIDENT_QUIET_MS = 60 * 60_000;
export const MANUAL_REFUND_OVERDUE_MS = 24 * 60 * 60_000;
/** SPEC §10: a provider's circuit breaker open (or half-open, still refusing calls) for longer than this alerts. */
export const CIRCUIT_OPEN_ALERT_MS = 60_000;

export interface Occurrence {
  kind: IncidentKind;
  /** What the incident is about: occurrences with the same kind and subject are one incident. */
  subject: string;
  summary: string;
  details: Record<string, unknown>;
}

/**
 * Records an occurrence in the caller's transaction. The first one of an
 * incident opens it and enqueues its one alert; the ones that follow while it
 * recurs only count, so a storm is one message, not hundreds. Occurrences of
 * one kind and subject are serialised by an advisory lock, so two workers
 * failing at the same moment still open one incident.
 */
export async function raiseIncident(tx: Prisma.TransactionClient, o: Occurrence, now = new Date()): Promise<{ incidentId: string; opened: boolean }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ops:${o.kind}:${o.subject}`}, 0))`;
  const open = await tx.opsIncident.findFirst({ where: { kind: o.kind, subject: o.subject, resolvedAt: null }, orderBy: { firstSeenAt: "desc" } });
  if (open && now.getTime() - open.lastSeenAt.getTime() < INCIDENT_QUIET_MS) {
    await tx.opsIncident.update({ where: { id: open.id }, data: { occurrences: { increment: 1 }, lastSeenAt: now } });
    return { incidentId: open.id, opened: false };
  }
  if (open) await tx.opsIncident.update({ where: { id: open.id }, data: { resolvedAt: now } });
  const created = await tx.opsIncident.create({
    data: { kind: o.kind, subject: o.subject, summary: o.summary, details: o.details as Prisma.InputJsonValue, firstSeenAt: now, lastSeenAt: now },
  });
  await enqueueJob(tx, TASKS.opsAlert, { incidentId: created.id }, { jobKey: `ops_alert:${created.id}`, maxAttempts: 10 });
  return { incidentId: created.id, opened: true };
}

/**
 * The scheduled circuit sweep (every minute): each provider whose breaker (provider_circuits,
 * shared by every worker) has refused calls for more than a minute is one incident per provider.
 * A breaker that stays open is found again at every sweep and only counted: one alert, not one a
 * minute. Returns how many breakers are open that long.
 */
export async function sweepOpenCircuits(db: Db, now = new Date()): Promise<number> {
  const open = await db.providerCircuit.findMany({
    // down_since, not opened_at: each failed half-open trial restarts opened_at, so under traffic it is never a minute old.
    where: { state: { in: ["open", "half_open"] }, downSince: { lt: new Date(now.getTime() - CIRCUIT_OPEN_ALERT_MS) } },
    orderBy: { provider: "asc" },
  });
  for (const circuit of open) {
    const minutes = Math.floor((now.getTime() - circuit.downSince!.getTime()) / 60_000);
    await db.$transaction((tx) =>
      raiseIncident(
        tx,
        {
          kind: "circuit_open",
          subject: circuit.provider,
          summary: `The ${circuit.provider} circuit breaker has been open for more than a minute: payments to ${circuit.provider} wait`,
          details: { provider: circuit.provider, state: circuit.state, downSince: circuit.downSince!.toISOString(), openedAt: circuit.openedAt?.toISOString() ?? null, openMinutes: minutes, failures: circuit.failures, lastFailure: circuit.lastFailure },
        },
        now,
      ),
    );
  }
  return open.length;
}

/** The scheduled sweep: manual-refund tasks open for more than a day are one incident. */
export async function sweepOpsIncidents(db: Db, now = new Date()): Promise<number> {
  const overdue = await db.manualRefundTask.findMany({
    where: { status: "open", createdAt: { lt: new Date(now.getTime() - MANUAL_REFUND_OVERDUE_MS) } },
    orderBy: { createdAt: "asc" },
    select: { id: true, cancellationId: true, amount: true, currency: true, createdAt: true },
    take: 50,
  });
  if (!overdue.length) return 0;
  await db.$transaction((tx) =>
    raiseIncident(
      tx,
      {
        kind: "manual_refund_overdue",
        subject: "manual_refunds",
        summary: `${overdue.length}${overdue.length === 50 ? "+" : ""} manual-refund task(s) open for more than a day`,
        details: { tasks: overdue.map((t) => ({ taskId: t.id, cancellationId: t.cancellationId, amount: Number(t.amount), currency: t.currency, createdAt: t.createdAt.toISOString() })) },
      },
      now,
    ),
  );
  return overdue.length;
}

/** The signature a receiver checks: HMAC-SHA256 of "<timestamp>.<body>" under OPS_ALERT_WEBHOOK_SECRET. */
export function signOpsWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

type ChannelResult = { status: "sent" | "failed" | "off"; error?: string; retry?: boolean };

/**
 * The send_ops_alert job: the incident's one alert, by email (OPS_ALERT_EMAIL)
 * and/or signed webhook (OPS_ALERT_WEBHOOK_URL). Each channel is recorded when
 * it is done, so a retry after a transient failure sends only what is missing.
 */
export async function sendOpsAlert(n: Notifier, incidentId: string): Promise<void> {
  const incident = await n.db.opsIncident.findUnique({ where: { id: incidentId } });
  if (!incident) throw new Error(`ops incident ${incidentId} does not exist`);
  if (incident.alertedAt) return;
  const { ops } = n.config;
  const alert = {
    incidentId: incident.id,
    kind: incident.kind,
    subject: incident.subject,
    summary: incident.summary,
    details: incident.details,
    firstSeenAt: incident.firstSeenAt.toISOString(),
  };

  const email = async (): Promise<ChannelResult> => {
    if (incident.emailStatus === "sent" || incident.emailStatus === "failed") return { status: incident.emailStatus };
    if (!ops.email || !n.mailer) return { status: "off" };
    try {
      await n.mailer.send({
        to: ops.email,
        subject: `[ops alert] ${incident.summary}`,
        text: `${incident.summary}\n\nKind: ${incident.kind}\nFirst seen: ${alert.firstSeenAt}\nIncident: ${incident.id}\n\n${JSON.stringify(incident.details, null, 2)}\n\nLater occurrences of this incident are counted, not sent again, until it has been quiet for an hour.\n`,
        html: `<h1>${escapeHtml(incident.summary)}</h1><p>Kind: ${incident.kind}<br>First seen: ${alert.firstSeenAt}<br>Incident: ${incident.id}</p><pre>${escapeHtml(JSON.stringify(incident.details, null, 2))}</pre>`,
        messageId: `<ops-${incident.id}@notifications.invalid>`,
      });
      return { status: "sent" };
    } catch (error) {
      const failure = classifySmtpError(error);
      return { status: "failed", error: `email: ${failure.reason}`, retry: failure.kind === "transient" };
    }
  };

  const webhook = async (): Promise<ChannelResult> => {
    if (incident.webhookStatus === "sent" || incident.webhookStatus === "failed") return { status: incident.webhookStatus };
    if (!ops.webhookUrl || !ops.webhookSecret) return { status: "off" };
    const body = JSON.stringify(alert);
    try {
      const res = await fetch(ops.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-ops-alert-signature": signOpsWebhook(ops.webhookSecret, Math.floor(Date.now() / 1000), body), "x-ops-alert-id": incident.id },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) return { status: "sent" };
      // 4xx: the receiver refuses this alert (bad URL, bad signature); 429 and 5xx may pass later.
      return { status: "failed", error: `webhook: HTTP ${res.status}`, retry: res.status === 429 || res.status >= 500 };
    } catch (error) {
      return { status: "failed", error: `webhook: ${(error as Error).message}`, retry: true };
    }
  };

  const [mail, hook] = await Promise.all([email(), webhook()]);
  const retry = Boolean(mail.retry || hook.retry);
  const errors = [mail.error, hook.error].filter(Boolean).join("; ") || null;
  await n.db.opsIncident.update({
    where: { id: incident.id },
    data: {
      emailStatus: mail.retry ? null : mail.status,
      webhookStatus: hook.retry ? null : hook.status,
      attempts: { increment: 1 },
      lastError: errors,
      alertedAt: retry ? null : new Date(),
    },
  });
  n.log(`ALERT ${incident.kind} (${incident.subject}): ${incident.summary} — email ${mail.status}, webhook ${hook.status}${errors ? ` (${errors})` : ""}`);
  // A transient failure fails the job, and graphile-worker retries it with its backoff.
  if (retry) throw new Error(`ops alert ${incident.id} not delivered yet: ${errors}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
