import { afterEach, expect, it, vi } from "vitest";
import { getDb } from "@/server/db/client";
import { sweepOpenCircuits } from "@/server/notifications/ops-alerts";
import { CircuitOpenError, sharedBreaker } from "./circuit-breaker";

const db = getDb();
const settings = { threshold: 1, halfOpenAfterMs: 0, probeTimeoutMs: 60_000 };
const circuit = () => db.providerCircuit.findUniqueOrThrow({ where: { provider: "adyen" } });

it("a provider down for more than a minute alerts although each failed half-open trial restarts opened_at", async () => {
  const breaker = sharedBreaker(db, "adyen", settings);
  await breaker.recordFailure(await breaker.admit(), "HTTP 503 from Adyen");
  const opened = await circuit();
  expect(opened).toMatchObject({ state: "open", downSince: opened.openedAt });
  // The outage began two minutes ago; the trial a moment ago failed again.
  await db.providerCircuit.update({ where: { provider: "adyen" }, data: { openedAt: new Date(Date.now() - 120_000), downSince: new Date(Date.now() - 120_000) } });
  const trial = await breaker.admit();
  expect(trial).toEqual({ probe: true });
  await breaker.recordFailure(trial, "HTTP 503 from Adyen");
  const reopened = await circuit();
  expect(reopened.state).toBe("open");
  expect(Date.now() - reopened.openedAt!.getTime()).toBeLessThan(60_000);
  expect(Date.now() - reopened.downSince!.getTime()).toBeGreaterThanOrEqual(120_000);

  expect(await sweepOpenCircuits(db)).toBe(1);
  const [incident] = await db.opsIncident.findMany({ where: { kind: "circuit_open", subject: "adyen" } });
  expect(incident!.details).toMatchObject({ provider: "adyen", openMinutes: 2, downSince: reopened.downSince!.toISOString() });

  // A good trial closes the breaker and ends the outage; the next one starts its own minute.
  await breaker.recordAnswer(await breaker.admit());
  expect(await circuit()).toMatchObject({ state: "closed", openedAt: null, downSince: null });
  await breaker.recordFailure(await breaker.admit(), "HTTP 503 from Adyen");
  expect(await sweepOpenCircuits(db)).toBe(0);
});

afterEach(() => {
  vi.useRealTimers();
});

it("a process acts on the closed state it read for closedForMs, then sees the circuit another process opened; its own failure at once", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  const opts = { threshold: 1, halfOpenAfterMs: 60_000, probeTimeoutMs: 60_000, closedForMs: 1_000 };
  const here = sharedBreaker(db, "stripe", opts);
  const there = sharedBreaker(db, "stripe", opts);
  await here.recordAnswer(await here.admit());
  await there.recordFailure(await there.admit(), "HTTP 503 from Stripe");
  expect(await db.providerCircuit.findUniqueOrThrow({ where: { provider: "stripe" } })).toMatchObject({ state: "open" });
  // Within the window this process still calls, without a statement: the bound the comment states.
  expect(await here.admit()).toEqual({ probe: false });
  vi.setSystemTime(Date.now() + 1_001);
  await expect(here.admit()).rejects.toBeInstanceOf(CircuitOpenError);

  // Closed again; this process's own failure is acted on at its next call, window or not.
  await db.providerCircuit.update({ where: { provider: "stripe" }, data: { state: "closed", failures: 0, openedAt: null, downSince: null } });
  vi.setSystemTime(Date.now() + 1_001);
  const admitted = await here.admit();
  await here.recordFailure(admitted, "HTTP 503 from Stripe");
  await expect(here.admit()).rejects.toBeInstanceOf(CircuitOpenError);
});
