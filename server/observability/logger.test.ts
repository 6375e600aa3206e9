import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { getDb } from "@/server/db/client";
import { startWorker } from "@/server/worker/worker";
import { apiClient, callRoute } from "@/test/rest";
import { importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { accessLogger, createLogger, replaceLogger, withLogContext } from "./logger";
import { until } from "@/test/support/until";

/** A logger writing into an array, one parsed JSON object a line. */
function capture(level = "info") {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines, raw };
}

describe("log lines", () => {
  it("are JSON with level, time, msg and the context's requestId, correlationId, cancellationId, orderId and actorId", () => {
    const { logger, lines } = capture();
    const ids = { requestId: "req-1", correlationId: randomUUID(), cancellationId: randomUUID(), orderId: randomUUID(), actorId: randomUUID() };
    withLogContext({ requestId: ids.requestId, actorId: ids.actorId }, () =>
      withLogContext({ correlationId: ids.correlationId, cancellationId: ids.cancellationId, orderId: ids.orderId }, () => logger.info({ step: "payment" }, "step done")),
    );
    logger.warn("outside any context");
    expect(lines[0]).toMatchObject({ level: "info", msg: "step done", step: "payment", ...ids });
    expect(new Date(lines[0]!.time as string).toISOString()).toBe(lines[0]!.time);
    expect(lines[1]).toMatchObject({ level: "warn", msg: "outside any context" });
    expect(lines[1]).not.toHaveProperty("requestId");
  });

  it("never carry secrets, personal data or card data: redacted by key at any depth, masked inside messages", () => {
    const { logger, raw, lines } = capture();
    const secrets = {
      password: "hunter2-password",
      token: "tok_live_secret",
      headers: { authorization: "Bearer pc_live_0123456789", cookie: "next-auth.session-token=abc" },
      customer: { email: "ada@example.com", name: "Ada Lovelace", address: "12 Baker St", phone: "+44 20 7946 0958" },
      order: { customerPhone: "+1 (555) 010-4477", customerPhoneDigits: "15550104477" },
      payment: { card: { number: "4242424242424242", cvc: "123" } },
      apiKey: "pc_key_abcdef",
    };
    logger.info({ ...secrets, orderId: "o-1" }, "customer ada@example.com (+1 555-010-4477, or (555) 010 4477) paid with 4242 4242 4242 4242");
    const text = raw.join("\n");
    for (const value of ["hunter2-password", "tok_live_secret", "pc_live_0123456789", "session-token=abc", "ada@example.com", "Ada Lovelace", "12 Baker St", "4242424242424242", "4242 4242 4242 4242", "pc_key_abcdef", "7946 0958", "010-4477", "010 4477", "15550104477"]) {
      expect(text, value).not.toContain(value);
    }
    expect(lines[0]).toMatchObject({
      password: "[redacted]",
      token: "[redacted]",
      headers: { authorization: "[redacted]", cookie: "[redacted]" },
      customer: { email: "[redacted]", name: "[redacted]", address: "[redacted]", phone: "[redacted]" },
      order: { customerPhone: "[redacted]", customerPhoneDigits: "[redacted]" },
      payment: { card: { number: "[redacted]", cvc: "[redacted]" } },
      apiKey: "[redacted]",
      orderId: "o-1",
      msg: "customer [email] ([phone], or [phone]) paid with [card number]",
    });
  });
});

describe("logged errors", () => {
  it("have their message, stack, driver details and causes scrubbed of emails, card numbers, bearer tokens, API keys and URL passwords", () => {
    const { logger, raw, lines } = capture();
    const apiKey = "pck_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg";
    const secrets = ["ada@example.com", "4111 1111 1111 1111", "4000056655665556", "eyJhbGciOiJIUzI1NiJ9.payload.sig", apiKey, "s3cr3t-db-pass", "sk_live_51Habcdefghijkl", "pce_c2VjcmV0LWVtYmVkLWNsaWVudA", "dXNlcjpwYXNz"];
    const cause = new Error(`connect to postgres://app:s3cr3t-db-pass@db.internal:5432/pc refused`);
    const err = new Error(`refund for ada@example.com on card 4111 1111 1111 1111 refused (Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig, key ${apiKey})`, { cause });
    // A driver's own fields quote the row or the request they refused.
    Object.assign(err, { detail: "Key (card)=(4000056655665556) already exists.", config: { headers: { Authorization: "Basic dXNlcjpwYXNz" } }, provider: "stripe sk_live_51Habcdefghijkl" });
    err.stack = `${err.message}\n    at refund (server/payments/stripe.ts:10:5) pce_c2VjcmV0LWVtYmVkLWNsaWVudA`;
    logger.error({ err, orderId: "o-1" }, "refund failed");
    logger.error(err);
    logger.warn({ error: err }, "retrying");
    const text = raw.join("\n");
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
    expect(lines).toHaveLength(3);
    const logged = lines[0]!.err as { message: string; stack: string; detail: string; type: string; cause?: { message: string } };
    expect(logged.type).toBe("Error");
    expect(logged.message).toMatch(/^refund for \[email\] on card \[card number\] refused \(Authorization: Bearer \[redacted\], key \[secret\]\)/);
    expect(lines[1]!.msg).toMatch(/^refund for \[email\] on card \[card number\]/);
    expect(logged.stack).toContain("at refund (server/payments/stripe.ts:10:5) [secret]");
    expect(logged.detail).toBe("Key (card)=([card number]) already exists.");
    expect(JSON.stringify(lines[0]!.err)).toContain("postgres://[redacted]@db.internal:5432/pc");
    expect(lines[0]).toMatchObject({ orderId: "o-1", msg: "refund failed" });
    expect((lines[1]!.err as { message: string }).message).toBe(logged.message);
    expect((lines[2]!.error as { message: string }).message).toBe(logged.message);
  });

  it("never carry the row PostgreSQL refused: an order's CHECK violation logs no customer name, phone or phone digits", async () => {
    const { logger, raw, lines } = capture();
    const digits = String(1_000_000 + Math.floor(Math.random() * 9_000_000));
    // Written without + or brackets, as a channel may send it: no pattern in a message tells it from an id.
    const phone = `555-${digits.slice(0, 3)}-${digits.slice(3)}`;
    // Made at run time: Prisma's message quotes the source lines around the failing call.
    const name = `Grace Hopper ${digits.slice(0, 2)}`;
    const order = simpleOrder(1);
    const { orderId } = await importForTest({ ...order, customer: { ...order.customer, name, phone } });
    const refused = await getDb()
      .order.update({ where: { id: orderId }, data: { shippingRefunded: 1_000_000 } })
      .then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    // The driver's own error quotes the whole row, the phone and its digits with it.
    expect(JSON.stringify(refused)).toContain(`555${digits}`);
    logger.error({ err: refused, orderId }, "order update failed");
    const text = raw.join("\n");
    for (const value of [phone, `555${digits}`, digits.slice(3), name]) expect(text, value).not.toContain(value);
    expect(text).toContain("orders_shipping_refunded_within_charged");
    expect(text).toContain("Failing row contains ([row])");
    expect(lines[0]).toMatchObject({ orderId, msg: "order update failed" });
  });

  it("keep what is not a secret: ids, amounts, codes", () => {
    const { logger, lines } = capture();
    const orderId = randomUUID();
    const message = `order ${orderId} at 2026-12-01T16:51:10.000+00:00: refund of 194.85 USD declined (card_declined, attempt 3 of 5) (1234 5678)`;
    logger.error({ err: new Error(message) }, "x");
    expect((lines[0]!.err as { message: string }).message).toBe(message);
  });
});

describe("the access line (observed-route.ts)", () => {
  it("goes through the process's logger (its destination, level and context) with messages still scrubbed", () => {
    const { logger, lines } = capture("warn");
    const restore = replaceLogger(logger);
    try {
      withLogContext({ requestId: "r-1", actorId: "a-1" }, () => {
        accessLogger().info({ method: "POST", status: 200 }, "below the level");
        accessLogger().error({ method: "POST", route: "/api/v1/orders/[orderId]", status: 500, durationMs: 3 }, "request failed for ada@example.com");
      });
    } finally {
      restore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", requestId: "r-1", actorId: "a-1", method: "POST", route: "/api/v1/orders/[orderId]", status: 500, durationMs: 3, msg: "request failed for [email]" });
  });
});

describe("the app and the worker log through it", () => {
  let h: SagaHarness;
  beforeAll(async () => {
    h = await startSagaHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it("a submit's lines carry its requestId and actor; the worker's saga lines its cancellation, order and correlation ids", async () => {
    const { logger, lines } = capture("info");
    const restore = replaceLogger(logger);
    const worker = await startWorker({ db: getDb(), databaseUrl: process.env.DATABASE_URL!, payments: h.payments, concurrency: 2 });
    try {
      const { user, key } = await apiClient();
      const { orderId } = await importForTest(simpleOrder(2));
      const answer = await callRoute<{ cancellationId: string; status: string }>(submitRoute, {
        key,
        params: { orderId },
        body: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
        path: `/api/v1/orders/${orderId}/cancel-partial?wait=5000`,
        headers: { "idempotency-key": randomUUID(), "x-request-id": "rq-test-42" },
      });
      expect(answer.status).toBe(201);
      expect(answer.headers.get("x-request-id")).toBe("rq-test-42");
      const { cancellationId } = answer.body;
      const request = lines.find((l) => l.msg === "request" && l.requestId === "rq-test-42");
      expect(request).toMatchObject({ level: "info", route: "/api/v1/orders/[orderId]/cancel-partial", method: "POST", status: 201, actorId: user.id, orderId });
      expect(lines.find((l) => l.msg === "cancellation submitted")).toMatchObject({ requestId: "rq-test-42", actorId: user.id, orderId, cancellationId });
      const { correlationId } = await getDb().cancellation.findUniqueOrThrow({ where: { id: cancellationId }, select: { correlationId: true } });
      // The submit may answer `processing` on a loaded machine: wait for the worker's line, not a fixed 2 s.
      const completed = await until("the worker's completion line", async () => lines.find((l) => l.msg === `saga ${cancellationId}: completed`), { timeoutMs: 30_000, everyMs: 20 });
      expect(completed).toMatchObject({ level: "info", job: "cancellation_saga", cancellationId, orderId, correlationId });
      // The caller's email (the API key's user) appears nowhere.
      expect(JSON.stringify(lines)).not.toContain(user.email);
    } finally {
      await worker.stop();
      restore();
    }
  });
});
