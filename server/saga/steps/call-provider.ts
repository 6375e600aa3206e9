import { addTimeline } from "@/server/cancellations/timeline";
import { fromDbBigint } from "@/server/db/numbers";
import type { Prisma, ProviderOperation } from "@/server/generated/prisma/client";
import type { UncertaintyPolicy } from "@/server/config/payments";
import { unknownOutcome, type ExternalProviderName, type LookUpResult, type PaymentResult, type PaymentTender } from "@/server/payments/port";
import { portFor } from "@/server/payments/registry";
import { lockCancellation, type SagaCancellation, type SagaContext } from "../saga-context";
import { paymentFacts, recordManualTx, recordSuccess, type Allocation } from "./settle-payment";

/** Where one allocation stands after a saga run: done, or waiting (for a retry or a confirmation) until `wakeAt`. */
export type SettleStep = { state: "done" } | { state: "waiting"; wakeAt: Date | null };

export const DONE: SettleStep = { state: "done" };

type TenderRow = NonNullable<Allocation["tender"]>;

/** Operations sent (or about to be) whose outcome is not known yet. */
const IN_FLIGHT = ["calling", "unknown", "accepted"] as const;

/**
 * The tender as the provider sees it: operations sent but not yet confirmed
 * count as done, or the next operation's parameters (e.g. Adyen's new
 * authorised total) would undo them. Taken once, when the intent is recorded:
 * every retry sends these same parameters under the same idempotency key.
 */
async function toPaymentTender(tx: Prisma.TransactionClient, t: TenderRow, currency: string, allocationId: string): Promise<PaymentTender> {
  const inFlight = await tx.cancellationAllocation.groupBy({
    by: ["operation"],
    where: {
      tenderId: t.id,
      status: "pending",
      id: { not: allocationId },
      OR: [{ providerOperation: { status: { in: [...IN_FLIGHT] } } }, { providerOperation: null, providerReference: { not: null } }],
    },
    _sum: { amount: true },
  });
  const sent = (op: "reversal" | "refund") => fromDbBigint(inFlight.find((g) => g.operation === op)?._sum.amount ?? 0n, `${op}s in flight`);
  return {
    tenderId: t.tenderId,
    method: t.method,
    provider: t.provider,
    providerReference: t.providerReference,
    currency,
    authorized: t.authorized,
    captured: t.captured,
    reversed: t.reversed + sent("reversal"),
    refunded: t.refunded + sent("refund"),
  };
}

/**
 * SPEC §6 "Provider outcomes" for one allocation: the intent is committed,
 * then the provider is called under the same idempotency key until it answers
 * `succeeded` or `declined`. An `unknown` answer is reconciled at once by
 * asking the provider; if that cannot settle it, the saga wakes again with
 * backoff until the horizon, and only then hands it to a person: as a
 * reconciled unknown when the provider showed nothing was done, otherwise
 * marked "verify at the provider first".
 */
export async function settleWithProvider(ctx: SagaContext, c: SagaCancellation, a: Allocation, idempotencyKey: string, intent?: OpenedIntent): Promise<SettleStep> {
  const step = await callOrReconcile(ctx, c, a, idempotencyKey, intent);
  ctx.inject.at("after_record");
  return step;
}

async function callOrReconcile(ctx: SagaContext, c: SagaCancellation, a: Allocation, idempotencyKey: string, intent?: OpenedIntent): Promise<SettleStep> {
  const port = portFor(ctx.payments, a.tender!.provider as ExternalProviderName);
  const policy = ctx.payments.uncertainty;
  // An intent committed with the order adjustment had its boundary before that transaction (run-saga.ts).
  if (!intent) ctx.inject.at("before_intent");
  const opened = intent ?? (await openIntent(ctx, c, a, idempotencyKey));
  if (!opened) return DONE;
  const { op, fresh } = opened;
  const request = op.request as unknown as PaymentTender;
  const operation = a.operation as "reversal" | "refund";
  const tag = { idempotencyKey, cancellationId: c.id };
  const horizon = new Date(op.createdAt.getTime() + policy.horizonMs);
  const lookUp = () => port.lookUp(request, operation, a.amount, tag);

  if (op.status === "accepted") {
    if (Date.now() < horizon.getTime()) return { state: "waiting", wakeAt: horizon };
    const found = await lookUp();
    // Still only accepted at the horizon: as unknown as a timeout.
    const settled = found.status === "succeeded" && found.awaitingConfirmation ? unknownOutcome("unconfirmed", `${op.provider} accepted ${op.providerReference} but never confirmed it`) : found;
    return decide(ctx, c, a, op, settled, { horizon, policy });
  }
  if (op.status !== "calling" && op.status !== "unknown") return DONE;
  if (op.attempts > 0 && Date.now() >= horizon.getTime()) return decide(ctx, c, a, op, await lookUp(), { horizon, policy });

  // A new intent is committed with its first attempt counted; a resumed one counts the next here.
  const attempt = fresh ? op : await ctx.db.providerOperation.update({ where: { id: op.id }, data: { attempts: { increment: 1 }, status: "calling" } });
  ctx.inject.at("after_intent");
  let result: PaymentResult;
  try {
    ctx.inject.maybeFail("payment");
    result = operation === "reversal" ? await port.reverse(request, a.amount, tag) : await port.refund(request, a.amount, tag);
  } catch (error) {
    result = unknownOutcome("exception", (error as Error).message);
  }
  ctx.inject.at("after_provider_call");
  if (result.status !== "unknown") return decide(ctx, c, a, attempt, result, { horizon, policy });
  // A timeout is not a no: the provider may have done it. Ask before anything else.
  const found = await lookUp();
  return decide(ctx, c, a, attempt, found.status === "unknown" ? result : found, { horizon, policy, callOutcome: result });
}

/** An allocation's intent row (`fresh`: made now, its first attempt already counted). */
export type OpenedIntent = { op: ProviderOperation; fresh: boolean };

/** The intent row, committed before the first call; null when the allocation was settled meanwhile. */
async function openIntent(ctx: SagaContext, c: SagaCancellation, a: Allocation, idempotencyKey: string): Promise<OpenedIntent | null> {
  return ctx.db.$transaction(async (tx) => openIntentIn(tx, await lockCancellation(tx, c.id), a.id, idempotencyKey));
}

/** The intent row inside the caller's transaction, which holds the cancellation's lock (`locked`). */
export async function openIntentIn(tx: Prisma.TransactionClient, locked: SagaCancellation, allocationId: string, idempotencyKey: string): Promise<OpenedIntent | null> {
  const current = locked.allocations.find((x) => x.id === allocationId)!;
  if (current.status !== "pending") return null;
  const existing = await tx.providerOperation.findUnique({ where: { allocationId } });
  if (existing) return { op: existing, fresh: false };
  const request = await toPaymentTender(tx, current.tender!, locked.currency, allocationId);
  // An operation sent before intents existed waits for its webhook; any other is called at once.
  const legacy = current.providerReference !== null;
  const op = await tx.providerOperation.create({
    data: {
      cancellationId: locked.id,
      allocationId,
      tenderId: current.tenderId!,
      provider: current.tender!.provider,
      operation: current.operation,
      idempotencyKey,
      amount: current.amount,
      request: request as unknown as Prisma.InputJsonValue,
      status: legacy ? "accepted" : "calling",
      attempts: legacy ? 0 : 1,
      providerReference: current.providerReference,
    },
  });
  return { op, fresh: !legacy };
}

/** Equal jitter: never less than half the step, so a retry loop cannot spin. */
function retryDelay(attempts: number, policy: UncertaintyPolicy): number {
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Records what is now known, in one transaction with the allocation, the tender, the timeline and the event. */
async function decide(
  ctx: SagaContext,
  c: SagaCancellation,
  a: Allocation,
  op: ProviderOperation,
  result: LookUpResult,
  opts: { horizon: Date; policy: UncertaintyPolicy; callOutcome?: PaymentResult },
): Promise<SettleStep> {
  const provider = op.provider;
  const pastHorizon = Date.now() >= opts.horizon.getTime();
  return ctx.db.$transaction(async (tx) => {
    await ctx.inject.maybeLoseDatabase(tx);
    if (result.status === "succeeded" && !result.awaitingConfirmation) {
      await recordSuccess(tx, c.id, a.id, async () => result.providerReference, provider === "paypal" && a.operation === "reversal");
      return DONE;
    }
    if (result.status === "declined") {
      await recordManualTx(tx, c.id, a.id, `${provider} declined: ${result.code} ${result.message}`, { origin: "declined", operationStatus: "declined" });
      return DONE;
    }
    if (pastHorizon && result.status !== "succeeded") {
      const last = op.lastOutcome ?? (opts.callOutcome && "code" in opts.callOutcome ? `${opts.callOutcome.code}: ${opts.callOutcome.message}` : "no answer");
      if (result.status === "absent") {
        await recordManualTx(tx, c.id, a.id, `${provider} outcome unknown (${last}); the provider shows nothing done: ${result.detail}`, { origin: "reconciled_unknown", operationStatus: "absent" });
      } else {
        await recordManualTx(tx, c.id, a.id, `${provider} outcome unknown (${last}); the provider could not tell (${result.code}: ${result.message})`, { origin: "unverified_unknown", operationStatus: "unknown" });
      }
      return DONE;
    }
    const locked = await lockCancellation(tx, c.id);
    const current = locked.allocations.find((x) => x.id === a.id)!;
    if (current.status !== "pending") return DONE; // a webhook settled it while the call was out
    if (result.status === "succeeded") {
      await tx.providerOperation.update({ where: { id: op.id }, data: { status: "accepted", providerReference: result.providerReference } });
      await tx.cancellationAllocation.update({ where: { id: a.id }, data: { providerReference: result.providerReference, attempts: { increment: 1 } } });
      await addTimeline(tx, c.id, "payment", "pending", paymentFacts(a, c.currency, { kind: "accepted", provider }));
      return { state: "waiting", wakeAt: opts.horizon };
    }
    // Unknown, or shown not done yet: the same call again later, under the same key.
    const outcome = opts.callOutcome && "code" in opts.callOutcome ? opts.callOutcome : result.status === "unknown" ? result : undefined;
    const lastOutcome = outcome ? `${outcome.code}: ${outcome.message}` : result.status === "absent" ? result.detail : null;
    const next = new Date(Math.min(Date.now() + retryDelay(op.attempts, opts.policy), opts.horizon.getTime()));
    await tx.providerOperation.update({ where: { id: op.id }, data: { status: "unknown", lastOutcome, nextAttemptAt: next } });
    await tx.cancellationAllocation.update({ where: { id: a.id }, data: { lastError: lastOutcome, attempts: { increment: 1 } } });
    await addTimeline(tx, c.id, "payment", "retry_scheduled", paymentFacts(a, c.currency, { kind: "retry", provider, lastOutcome, retryInSeconds: Math.max(1, Math.round((next.getTime() - Date.now()) / 1000)) }));
    return { state: "waiting", wakeAt: next };
  });
}
