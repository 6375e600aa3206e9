import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { allocateRefund, type RefundMethod, type TenderState } from "@/server/domain/allocation";
import { AppError } from "@/server/domain/errors";
import {
  applyCancellation,
  applyOrderChange as applyInMemory,
  type CancellationHolding,
  type HeldAllocation,
  holdCancellation,
  type OrderChange,
  type OrderState,
  releaseCancellation,
  settleHeldAmount,
} from "@/server/domain/order-transitions";
import { cancellableQuantity } from "@/server/domain/quantities";
import { computeRefund, shippingAdditionHolding, shippingDueOnFullCancellation } from "@/server/domain/refund";
import type { Prisma } from "@/server/generated/prisma/client";
import { actorFor } from "@/test/saga-harness";
import { unique } from "@/test/factories";
import { applyLineChanges, applyOrderChange, applyShippingChange, applyTenderChanges } from "./apply-order-change";
import { importOrder } from "./import-order";

/*
 * Random sequences of hold, release (rejection, expiry, withdrawal, compensation), apply
 * (the saga's order adjustment) and settle (a provider's confirmation or a manual-refund task),
 * each computed by the domain and written by the repository exactly as production does, plus
 * events that must be refused (a second release, a second settle, a second apply). After every
 * sequence the database holds exactly the state the domain computed, and the two agree on every
 * refusal. Each run is one transaction, rolled back.
 */

const db = getDb();
const RUNS = { numRuns: 1000 };
let orderId: string;
let start: OrderState;

const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);

beforeAll(async () => {
  const { orderId: id } = await importOrder(
    { db, actor: await actorFor() },
    {
      channel: "web",
      externalId: unique("WEB-PROP"),
      storeId: "STORE-PROP",
      currency: "USD",
      customer: { id: unique("CUST"), name: "Property Test", email: "prop@example.com" },
      lines: [
        { lineId: "A", sku: "SKU-A", quantity: 3, unitPrice: "100.00", tax: "22.28" },
        { lineId: "B", sku: "SKU-B", quantity: 1, unitPrice: "50.00", tax: "3.71" },
        { lineId: "C", sku: "SKU-C", quantity: 5, unitPrice: "7.99", discount: "1.00", tax: "3.00" },
      ],
      discounts: [{ code: "D35", amount: "35.00" }],
      shipping: { amount: "10.00", tax: "0.80" },
      tenders: [
        { tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_${unique("prop")}`, authorized: "250.00", captured: "100.00" },
        { tenderId: "T2", method: "gift_card", provider: "internal", providerReference: unique("GC"), authorized: "50.00", captured: "50.00" },
        { tenderId: "T3", method: "paypal", provider: "paypal", providerReference: unique("AUTH"), authorized: "93.74", captured: "0.00" },
      ],
    },
  );
  orderId = id;
  start = await readState(db);
});

async function readState(tx: Prisma.TransactionClient | typeof db): Promise<OrderState> {
  const o = numbered(await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: { orderBy: { position: "asc" } }, tenders: { orderBy: { position: "asc" } } } }));
  return {
    currency: o.currency,
    shippingAmount: o.shippingAmount,
    shippingTax: o.shippingTax,
    shippingRefunded: o.shippingRefunded,
    shippingTaxRefunded: o.shippingTaxRefunded,
    lines: o.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount, tax: l.tax, orderDiscountShare: l.orderDiscountShare, shipped: l.shipped, released: l.released, cancelled: l.cancelled, pendingCancel: l.pendingCancel, netRefunded: l.netRefunded, taxRefunded: l.taxRefunded })),
    tenders: o.tenders.map((t): TenderState => ({ tenderId: t.tenderId, method: t.method, provider: t.provider, authorized: t.authorized, captured: t.captured, reversed: t.reversed, refunded: t.refunded, reversalHeld: t.reversalHeld, refundHeld: t.refundHeld })),
  };
}

type Kind = "hold" | "holdRest" | "release" | "apply" | "settle" | "addShipping" | "releaseAgain" | "applyAgain" | "settleAgain";
interface Intent {
  kind: Kind;
  a: number;
  b: number;
  c: number;
}
const intentArb = fc.record({
  kind: fc.constantFrom<Kind>("hold", "hold", "hold", "holdRest", "release", "apply", "apply", "apply", "settle", "settle", "settle", "addShipping", "addShipping", "releaseAgain", "applyAgain", "settleAgain"),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
});

interface Held {
  holding: CancellationHolding & { allocations: HeldAllocation[] };
  state: "held" | "released" | "applied";
}

/** One event: its change (computed from the domain's state) and how production writes it. */
interface Step {
  change: OrderChange;
  write: (tx: Prisma.TransactionClient) => Promise<void>;
  done: () => void;
}

function nextStep(state: OrderState, held: Held[], intent: Intent): Step | undefined {
  const { a, b, c } = intent;
  switch (intent.kind) {
    case "hold":
    case "holdRest": {
      // holdRest: every unit still cancellable, the cancellation that leaves none uncancelled.
      const selection = state.lines
        .map((l, i) => ({ lineId: l.lineId, cancellable: cancellableQuantity(l), on: intent.kind === "holdRest" || ((a >> i) & 1) === 1, i }))
        .filter((l) => l.on && l.cancellable > 0)
        .map((l) => ({ lineId: l.lineId, quantity: intent.kind === "holdRest" ? l.cancellable : 1 + ((b + l.i) % l.cancellable) }));
      if (selection.length === 0) return undefined;
      const breakdown = computeRefund(state, selection, "full_cancellation");
      const method = (["original", "store_credit", "manual"] as RefundMethod[])[c % 3]!;
      let allocations: HeldAllocation[];
      try {
        allocations = allocateRefund(breakdown.totals.total, state.tenders, method).map((e): HeldAllocation => ({ ...e, status: "pending" }));
      } catch (error) {
        // After an accepted "again" event the books no longer add up; submit answers 422 then.
        if (error instanceof AppError && error.code === "INSUFFICIENT_REFUNDABLE") return undefined;
        throw error;
      }
      const holding = { items: breakdown.lines, allocations, shipping: breakdown.totals.shipping, shippingTax: breakdown.totals.shippingTax };
      const change = holdCancellation(holding);
      return { change, write: (tx) => applyOrderChange(tx, orderId, change), done: () => held.push({ holding, state: "held" }) };
    }
    case "release":
    case "releaseAgain": {
      const candidates = intent.kind === "release" ? held.filter((h) => h.state === "held") : held;
      const h = pick(candidates, a);
      if (!h) return undefined;
      const change = releaseCancellation(h.holding);
      return { change, write: (tx) => applyOrderChange(tx, orderId, change), done: () => void (h.state = "released") };
    }
    case "apply":
    case "applyAgain": {
      const candidates = intent.kind === "apply" ? held.filter((h) => h.state === "held") : held;
      const h = pick(candidates, a);
      if (!h) return undefined;
      const change = applyCancellation(h.holding.items);
      const write = async (tx: Prisma.TransactionClient) => {
        await applyLineChanges(tx, orderId, change.lines);
        await applyShippingChange(tx, orderId, change.shipping);
      };
      return { change, write, done: () => void (h.state = "applied") };
    }
    case "addShipping": {
      // The saga that made the order fully cancelled adds the shipping no cancellation took (SPEC §3).
      const due = shippingDueOnFullCancellation(state, "full_cancellation");
      if (!due) return undefined;
      const method = (["original", "store_credit", "manual"] as RefundMethod[])[c % 3]!;
      let allocations: HeldAllocation[];
      try {
        allocations = allocateRefund(due.total, state.tenders, method).map((e): HeldAllocation => ({ ...e, status: "pending" }));
      } catch (error) {
        if (error instanceof AppError && error.code === "INSUFFICIENT_REFUNDABLE") return undefined;
        throw error;
      }
      const holding = { ...shippingAdditionHolding(due, allocations), allocations };
      const change = holdCancellation(holding);
      return { change, write: (tx) => applyOrderChange(tx, orderId, change), done: () => void (shippingAdded++, held.push({ holding, state: "applied" })) };
    }
    case "settle":
    case "settleAgain": {
      const parts = held.flatMap((h) => (h.state === "applied" || intent.kind === "settleAgain" ? h.holding.allocations : []));
      const part = pick(intent.kind === "settle" ? parts.filter((p) => p.status === "pending") : parts, b);
      if (!part) return undefined;
      const change = settleHeldAmount(part);
      return { change, write: (tx) => applyTenderChanges(tx, orderId, change.tenders), done: () => void (part.status = "succeeded") };
    }
  }
}

class Rollback extends Error {}
let shippingAdded = 0;

describe("order transitions: the domain and the database agree (property, real PostgreSQL)", () => {
  it("random sequences of hold, release, apply and settle leave the rows the domain computes; both refuse the same events", async () => {
    let refusals = 0;
    let events = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(intentArb, { maxLength: 12 }), async (intents) => {
        let state = start;
        const held: Held[] = [];
        await db
          .$transaction(async (tx) => {
            // Then the rest of the order, as its last cancellation and the sagas finish it: every
            // unit held, every hold applied, and the shipping added when no cancellation took it.
            const tail: Intent[] = [{ kind: "holdRest", a: 0, b: 0, c: intents.length }, ...Array.from({ length: 14 }, (): Intent => ({ kind: "apply", a: 0, b: 0, c: 0 })), { kind: "addShipping", a: 0, b: 0, c: intents.length }];
            for (const intent of [...intents, ...tail]) {
              const step = nextStep(state, held, intent);
              if (!step) continue;
              events++;
              let next: OrderState | undefined;
              try {
                next = applyInMemory(state, step.change);
              } catch (error) {
                if (!(error instanceof AppError) || error.code !== "INVALID_STATE") throw error;
              }
              if (next) {
                await step.write(tx);
                state = next;
                step.done();
                continue;
              }
              // The domain refuses: so must the database, and change nothing.
              refusals++;
              await tx.$executeRaw`SAVEPOINT refused`;
              await expect(step.write(tx)).rejects.toThrow(/check constraint/i);
              await tx.$executeRaw`ROLLBACK TO SAVEPOINT refused`;
            }
            const stored = await readState(tx);
            expect(stored).toEqual(state);
            throw new Rollback();
          }, { timeout: 20_000 })
          .catch((error) => {
            if (!(error instanceof Rollback)) throw error;
          });
      }),
      RUNS,
    );
    // The sequences did exercise both paths.
    console.log(`order transitions property: ${events} events, ${refusals} refused, shipping added ${shippingAdded} times`);
    expect(events).toBeGreaterThan(1000);
    expect(shippingAdded).toBeGreaterThan(20);
    expect(refusals).toBeGreaterThan(100);
    expect(await readState(db)).toEqual(start);
  }, 600_000);
});
