import { beforeAll, describe, expect, it, vi } from "vitest";
import { POST as registerEmbedClientRoute } from "@/app/api/embed/clients/route";
import { PATCH as updateEmbedClientRoute } from "@/app/api/embed/clients/[clientId]/route";
import { POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { getDb } from "@/server/db/client";
import { createApiKey, createUser, unique } from "./factories";
import { importUnique } from "./rest";
import { simpleOrder } from "./saga-harness";

// The "cookie" is whoever this names: next-auth's session is mocked, the Cookie header is sent as a browser would.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId }, expires: new Date(Date.now() + 60_000).toISOString() } : null),
}));

const db = getDb();
const COOKIE = "next-auth.session-token=opaque";
const REQUEST = { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" };

let agentId: string;
let adminId: string;
let agentKey: string;
beforeAll(async () => {
  const agent = await createUser({ stores: ["STORE-001"] });
  agentId = agent.id;
  adminId = (await createUser({ role: "system_admin" })).id;
  agentKey = await createApiKey(agentId, ["orders:read", "orders:write", "cancellations:write"]);
});

type Headers_ = Record<string, string>;
const CASES: [name: string, headers: Headers_][] = [
  ["a foreign Origin", { origin: "http://evil.example", "content-type": "text/plain" }],
  ["a foreign Origin with JSON", { origin: "http://evil.example", "content-type": "application/json" }],
  ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site", origin: "http://evil.example", "content-type": "application/json" }],
  ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site", "content-type": "application/json" }],
  ["no Origin and no Sec-Fetch-Site with a cookie", { "content-type": "application/json" }],
  ["text/plain from our own origin", { origin: "http://localhost", "sec-fetch-site": "same-origin", "content-type": "text/plain" }],
  ["a form post from our own origin", { origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" }],
  ["Origin: null (a sandboxed frame)", { origin: "null", "content-type": "application/json" }],
];
const SAME_ORIGIN: Headers_ = { origin: "http://localhost", "sec-fetch-site": "same-origin", "content-type": "application/json" };

async function asSession<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  session.userId = userId;
  try {
    return await fn();
  } finally {
    session.userId = null;
  }
}

function request(url: string, headers: Headers_, body: unknown, method = "POST"): Request {
  return new Request(`http://localhost${url}`, { method, headers: { cookie: COOKIE, "idempotency-key": unique("csrf"), ...headers }, body: JSON.stringify(body) });
}

const cancellationsOf = (orderId: string) => db.cancellation.count({ where: { orderId } });

describe("REST writes signed in by the session cookie", () => {
  it.each(CASES)("%s → 403 CSRF_REJECTED and no cancellation", async (_, headers) => {
    const { orderId } = await importUnique(agentKey, simpleOrder(2));
    const response = await asSession(agentId, () => submitRoute(request(`/api/v1/orders/${orderId}/cancel-partial`, headers, REQUEST), { params: Promise.resolve({ orderId }) }));
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("CSRF_REJECTED");
    expect(await cancellationsOf(orderId)).toBe(0);
  });

  it("from our own pages (Sec-Fetch-Site or Origin, with JSON) → accepted", async () => {
    for (const headers of [SAME_ORIGIN, { origin: "http://localhost", "content-type": "application/json; charset=utf-8" }]) {
      const { orderId } = await importUnique(agentKey, simpleOrder(2));
      const response = await asSession(agentId, () => submitRoute(request(`/api/v1/orders/${orderId}/cancel-partial`, headers, REQUEST), { params: Promise.resolve({ orderId }) }));
      expect(response.status).toBe(201);
      expect(await cancellationsOf(orderId)).toBe(1);
    }
  });

  it("an API key is not a cookie: its writes are not checked for origin", async () => {
    const { orderId } = await importUnique(agentKey, simpleOrder(2));
    const response = await submitRoute(request(`/api/v1/orders/${orderId}/cancel-partial`, { authorization: `Bearer ${agentKey}`, origin: "http://evil.example", "content-type": "text/plain" }, REQUEST), {
      params: Promise.resolve({ orderId }),
    });
    expect(response.status).toBe(201);
  });
});

describe("tRPC mutations carrying cookies", () => {
  const submit = (orderId: string, headers: Headers_) =>
    asSession(agentId, () => trpcPost(request("/api/trpc/cancellation.submit", headers, { json: { orderId, idempotencyKey: unique("k"), request: REQUEST } })));

  it.each(CASES)("%s → 403 CSRF_REJECTED and no cancellation", async (_, headers) => {
    const { orderId } = await importUnique(agentKey, simpleOrder(2));
    const response = await submit(orderId, headers);
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("CSRF_REJECTED");
    expect(await cancellationsOf(orderId)).toBe(0);
  });

  it("from our own pages → accepted", async () => {
    const { orderId } = await importUnique(agentKey, simpleOrder(2));
    const response = await submit(orderId, SAME_ORIGIN);
    expect(response.status).toBe(200);
    expect(await cancellationsOf(orderId)).toBe(1);
  });
});

describe("the embed-client admin routes", () => {
  it.each(CASES)("%s → 403 CSRF_REJECTED and nothing registered or changed", async (_, headers) => {
    const id = unique("crm").toLowerCase();
    const created = await asSession(adminId, () => registerEmbedClientRoute(request("/api/embed/clients", headers, { id, name: "Evil", allowedOrigins: ["https://crm.evil.example"] })));
    expect(created.status).toBe(403);
    expect((await created.json()).error.code).toBe("CSRF_REJECTED");
    expect(await db.embedClient.count({ where: { id } })).toBe(0);

    const existing = unique("crm").toLowerCase();
    expect((await asSession(adminId, () => registerEmbedClientRoute(request("/api/embed/clients", SAME_ORIGIN, { id: existing, name: "Ours", allowedOrigins: ["https://crm.ours.example"] })))).status).toBe(201);
    const patched = await asSession(adminId, () => updateEmbedClientRoute(request(`/api/embed/clients/${existing}`, headers, { allowedOrigins: ["https://crm.evil.example"] }, "PATCH"), { params: Promise.resolve({ clientId: existing }) }));
    expect(patched.status).toBe(403);
    expect((await db.embedClient.findUniqueOrThrow({ where: { id: existing } })).allowedOrigins).toEqual(["https://crm.ours.example"]);
  });
});
