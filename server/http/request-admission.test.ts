import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { admitRequests } from "./request-admission";

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = null;
});

/** A server whose handler answers only when the test lets it; `handled` lists what reached it. */
async function start(settings: { maxInFlight: number; maxQueued: number; maxWaitMs: number }) {
  const handled: string[] = [];
  const holds: (() => void)[] = [];
  const admitted = admitRequests((req, res) => {
    handled.push(req.url!);
    holds.push(() => res.end("ok"));
  }, settings);
  server = http.createServer(admitted);
  // Every request that reached the server, admitted, queued or refused.
  const arrived = { count: 0 };
  server.on("request", () => void arrived.count++);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string) => fetch(base + path).then(async (r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.text() }));
  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("timed out waiting for the server");
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { handled, holds, get, until, arrived };
}

it("beyond the requests in flight and the queue, a request is answered 429 with Retry-After at once and never reaches the app; the queue is served in order", async () => {
  const s = await start({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 60_000 });
  const first = s.get("/a");
  await s.until(() => s.handled.length === 1);
  const second = s.get("/b");
  // Queued: not handled while the first runs (sent on once the server has it).
  await s.until(() => s.arrived.count === 2);
  const third = await s.get("/c");
  expect(third.status).toBe(429);
  expect(Number(third.retryAfter)).toBeGreaterThan(0);
  expect(JSON.parse(third.body)).toMatchObject({ error: { code: "RATE_LIMITED" } });
  expect(s.handled).toEqual(["/a"]);

  s.holds[0]!();
  expect((await first).status).toBe(200);
  await s.until(() => s.handled.length === 2);
  expect(s.handled).toEqual(["/a", "/b"]);
  s.holds[1]!();
  expect((await second).status).toBe(200);
});

it("a request that waited maxWaitMs for its turn is refused with 429; health probes pass a full process", async () => {
  const s = await start({ maxInFlight: 1, maxQueued: 5, maxWaitMs: 50 });
  const first = s.get("/a");
  await s.until(() => s.handled.length === 1);
  const waited = await s.get("/b");
  expect(waited.status).toBe(429);
  expect(waited.retryAfter).toBe("1");
  const probe = s.get("/api/health/ready");
  await s.until(() => s.handled.length === 2);
  expect(s.handled).toEqual(["/a", "/api/health/ready"]);
  s.holds[1]!();
  expect((await probe).status).toBe(200);
  s.holds[0]!();
  expect((await first).status).toBe(200);
  // The slot came back: the next request runs.
  const after = s.get("/c");
  await s.until(() => s.handled.length === 3);
  s.holds[2]!();
  expect((await after).status).toBe(200);
});
