import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { sealAll } from "@/server/audit/seal-audit-log";
import { GET as graphqlGet, POST as graphqlPost } from "@/app/api/graphql/route";
import { GET as embedClientsGet, POST as embedClientsPost } from "@/app/api/embed/clients/route";
import { PATCH as embedClientPatch } from "@/app/api/embed/clients/[clientId]/route";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { GET as catchAllGet, POST as catchAllPost } from "@/app/api/v1/[...path]/route";
import { POST as approveRoute } from "@/app/api/v1/cancellations/[cancellationId]/approve/route";
import { POST as rejectRoute } from "@/app/api/v1/cancellations/[cancellationId]/reject/route";
import { POST as withdrawRoute } from "@/app/api/v1/cancellations/[cancellationId]/withdraw/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { GET as getCancellationRoute } from "@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route";
import { GET as listCancellationsRoute } from "@/app/api/v1/orders/[orderId]/cancellations/route";
import { GET as getOrderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { POST as importRoute } from "@/app/api/v1/orders/route";
import { POST as adyenWebhook } from "@/app/api/webhooks/adyen/route";
import { POST as paypalWebhook } from "@/app/api/webhooks/paypal/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { appRouter } from "@/server/api/root";
import { httpStatusFor } from "@/server/domain/errors";
import { MAX_BODY_BYTES } from "@/server/http/request-body";
import { getDb } from "@/server/db/client";
import { createApiKey } from "./factories";
import { apiClient, callRoute, importUnique } from "./rest";
import { actorFor, exampleA, simpleOrder, startSagaHarness, type SagaHarness } from "./saga-harness";

/*
 * ≥ 2,000 generated bad requests against every REST route, the embed-client admin routes, the
 * three webhooks, tRPC and GraphQL, called in process the way Next calls them. Every request carries at
 * least one defect that makes it invalid (a NUL or unpaired surrogate, malformed or too deep
 * JSON, a body over the size limit, a wrong type at the root, an impossible date or amount, no
 * or a wrong key …), so none may change anything. Fails on any 5xx, any error body that is not
 * JSON, any stack trace or SQL in a body, and any change to the database.
 * Replay a failure with FUZZ_SEED=<seed> (and FUZZ_RUNS=<n>).
 */

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId }, expires: new Date(Date.now() + 60_000).toISOString() } : null),
}));

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 2_200;
const NIL = "00000000-0000-4000-8000-000000000000";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface World {
  agentKey: string;
  managerKey: string;
  agentId: string;
  adminId: string;
  orderId: string;
  bigOrderId: string;
  pendingId: string;
  embedClientId: string;
}
let world: World;
let harness: SagaHarness;
let snapshotBefore: Record<string, string>;
let sent = 0;
let graphqlSent = 0;

/** One md5 per table of the public schema; API keys' last-used minute is bookkeeping, not state. */
async function snapshot(): Promise<Record<string, string>> {
  const db = getDb();
  // The sealer chains committed audit entries shortly after commit (wherever it runs): seal them
  // all first, so sealing the setup's entries is not taken for a change a bad request made.
  for (;;) {
    await sealAll(db);
    const [row] = await db.$queryRaw<{ unsealed: number }[]>`SELECT count(*)::int AS unsealed FROM audit_log WHERE chain_seq IS NULL`;
    if (row!.unsealed === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const tables = await db.$queryRaw<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    // The request limits' buckets (rate_buckets) count bad requests too: that is their job.
    if (name === "rate_buckets") continue;
    const [row] = await db.$queryRawUnsafe<{ h: string | null }[]>(
      `SELECT md5(coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, ',' ORDER BY (to_jsonb(t) - 'last_used_at')::text), '')) AS h FROM "${name}" t`,
    );
    out[name] = row?.h ?? "";
  }
  return out;
}

beforeAll(async () => {
  harness = await startSagaHarness();
  const agent = await apiClient({ stores: ["STORE-FZ"] });
  const manager = await apiClient({ role: "store_manager", stores: ["STORE-FZ"], scopes: ["orders:read", "cancellations:approve"] });
  const admin = await actorFor("system_admin");
  const { orderId } = await importUnique(agent.key, exampleA("STORE-FZ"), { storeId: "STORE-FZ" });
  const big = await importUnique(agent.key, simpleOrder(100), { storeId: "STORE-FZ" });
  const request = { orderLineIds: ["1"], quantities: [100], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
  const submitted = await callRoute<{ cancellationId: string; status: string }>(submitRoute, {
    key: agent.key,
    params: { orderId: big.orderId },
    body: request,
    headers: { "idempotency-key": "fuzz-pending" },
  });
  expect(submitted.body.status).toBe("pending_approval");
  session.userId = admin.userId;
  const crm = await callRoute<{ id: string }>(embedClientsPost, {
    body: { id: "fuzz-crm", name: "Fuzz CRM", allowedOrigins: ["https://crm.fuzz.example"] },
    headers: { origin: "http://localhost", "sec-fetch-site": "same-origin" },
  });
  session.userId = null;
  expect(crm.status).toBe(201);
  await createApiKey(admin.userId, ["orders:read"]);
  world = {
    agentKey: agent.key,
    managerKey: manager.key,
    agentId: agent.user.id,
    adminId: admin.userId,
    orderId,
    bigOrderId: big.orderId,
    pendingId: submitted.body.cancellationId,
    embedClientId: crm.body.id,
  };
  snapshotBefore = await snapshot();
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

// ---------------------------------------------------------------------------------------------
// Generators

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const badString = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "x\udfff", "\udc00\ud800", "ok\u0000\ud83d"),
  fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00"), fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c),
);

const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(1e308, -1e308, 2 ** 53, 2 ** 31, -1, 0, 1.5, "", " ", "99999999999999999999.99", "1e9", "-0.01", "0000-01-01", "9999-12-31", "x".repeat(5_000), [], {}, null, true),
  badString,
);

/** The paths of a JSON value's leaves (and of its objects, for adding keys). */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value && typeof value === "object") return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

function setAt(value: Json, path: (string | number)[], replacement: (old: Json) => Json): Json {
  if (path.length === 0) return replacement(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? setAt(v, rest, replacement) : v));
  if (value && typeof value === "object") return { ...value, [head as string]: setAt((value as Record<string, Json>)[head as string]!, rest, replacement) };
  return value;
}

/** Zero to three changes that may or may not make the body invalid. */
function noise(base: Json): fc.Arbitrary<Json> {
  const all = paths(base);
  const change = fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), weirdValue, fc.boolean()).map(([i, v, remove]) => (b: Json) =>
    setAt(b, all[i]!, (old) => (remove && old && typeof old === "object" && !Array.isArray(old) && Object.keys(old).length ? Object.fromEntries(Object.entries(old).slice(1)) : v)),
  );
  return fc.array(change, { maxLength: 3 }).map((changes) => changes.reduce((b, f) => f(b), base));
}

type Poisoned = { text: string; kind: string };

/** A body with at least one defect that makes any route refuse it. */
function poisoned(base: Json): fc.Arbitrary<Poisoned> {
  return noise(base).chain((b) => {
    const all = paths(b);
    const text = JSON.stringify(b);
    return fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), badString, fc.boolean()).map(([i, s, asKey]) => ({
        kind: "bad-string",
        text: JSON.stringify(
          setAt(b, all[i]!, (old) => (asKey && old && typeof old === "object" && !Array.isArray(old) ? { ...old, [s]: 1 } : typeof old === "string" ? old + s : s)),
        ),
      })),
      fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((n) => ({ kind: "truncated", text: text.slice(0, n) })),
      fc.constantFrom("{", "[", "{\"a\":}", "nul", "{'a':1}", "\u0000", "{\"a\":1}}", "\ufeff{]").map((t) => ({ kind: "malformed", text: t })),
      fc.integer({ min: 33, max: 5_000 }).map((depth) => ({ kind: "deep", text: `${"[".repeat(depth)}1${"]".repeat(depth)}` })),
      fc.integer({ min: 33, max: 200 }).map((depth) => ({ kind: "deep-object", text: `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` })),
      fc.constant({ kind: "huge", text: JSON.stringify({ ...(b && typeof b === "object" && !Array.isArray(b) ? b : {}), padding: "x".repeat(MAX_BODY_BYTES) }) }),
      fc.constantFrom("1", "\"text\"", "[]", "null", "true", "[{}]").map((t) => ({ kind: "not-an-object", text: t })),
    );
  });
}

const importBody = (): Json => JSON.parse(JSON.stringify({ ...simpleOrder(2), externalId: "FUZZ-NEVER", storeId: "STORE-FZ" })) as Json;
const cancelBody: Json = { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", note: "fuzz", refundMethod: "original" };

interface RestTarget {
  name: string;
  handler: Handler;
  method: string;
  params: () => Record<string, string>;
  body?: () => Json;
  session?: boolean;
}

const REST: RestTarget[] = [
  { name: "POST /api/v1/orders", handler: importRoute, method: "POST", params: () => ({}), body: importBody },
  { name: "POST preview", handler: previewRoute, method: "POST", params: () => ({ orderId: world.orderId }), body: () => cancelBody },
  { name: "POST cancel-partial", handler: submitRoute, method: "POST", params: () => ({ orderId: world.orderId }), body: () => cancelBody },
  { name: "POST approve", handler: approveRoute, method: "POST", params: () => ({ cancellationId: world.pendingId }), body: () => ({ note: "fine" }) },
  { name: "POST reject", handler: rejectRoute, method: "POST", params: () => ({ cancellationId: world.pendingId }), body: () => ({ note: "no" }) },
  { name: "POST withdraw", handler: withdrawRoute, method: "POST", params: () => ({ cancellationId: world.pendingId }), body: () => ({ note: "changed my mind" }) },
  { name: "POST /api/embed/clients", handler: embedClientsPost as Handler, method: "POST", params: () => ({}), body: () => ({ id: "fuzz-new", name: "New", allowedOrigins: ["https://a.example"] }), session: true },
  { name: "PATCH /api/embed/clients/{id}", handler: embedClientPatch as Handler, method: "PATCH", params: () => ({ clientId: world.embedClientId }), body: () => ({ name: "Renamed", active: false }), session: true },
];

const GETS: RestTarget[] = [
  { name: "GET order", handler: getOrderRoute, method: "GET", params: () => ({ orderId: world.orderId }) },
  { name: "GET cancellations", handler: listCancellationsRoute, method: "GET", params: () => ({ orderId: world.bigOrderId }) },
  { name: "GET cancellation", handler: getCancellationRoute, method: "GET", params: () => ({ orderId: world.bigOrderId, cancellationId: world.pendingId }) },
  { name: "GET /api/embed/clients", handler: embedClientsGet as Handler, method: "GET", params: () => ({}), session: true },
];

interface Sent {
  label: string;
  req: Request;
  handler: Handler;
  params: Record<string, string>;
  sessionUser: string | null;
  /** Must be refused (4xx): false only for reads that ignore the defect (a query of a route without filters, a tRPC query without input). */
  mustFail: boolean;
  /** A GraphQL request: refused means errors only, each with a 4xx code of the error model. */
  graphql?: boolean;
}

let keyCounter = 0;
function restRequest(target: RestTarget, init: { body?: string; query?: string; key?: string | null; ip?: string; contentType?: string | null }): Request {
  const headers = new Headers({ "user-agent": "fuzz", "x-forwarded-for": init.ip ?? "127.0.0.1", origin: "http://localhost", "sec-fetch-site": "same-origin" });
  if (init.key) headers.set("authorization", init.key.startsWith("Basic") ? init.key : `Bearer ${init.key}`);
  if (init.contentType !== null) headers.set("content-type", init.contentType ?? "application/json");
  if (target.method !== "GET") headers.set("idempotency-key", `fuzz-${(keyCounter += 1)}`);
  return new Request(`http://localhost/api/v1/fuzz${init.query ?? ""}`, { method: target.method, headers, body: init.body });
}

const writeRequests: fc.Arbitrary<Sent> = fc
  .constantFrom(...REST)
  .chain((target) => fc.tuple(fc.constant(target), poisoned(target.body!()), fc.constantFrom("agent", "manager", "session"), fc.option(badString, { freq: 8 })))
  .map(([target, body, who, badParam]) => {
    const params = { ...target.params(), ...(badParam ? { [Object.keys(target.params())[0] ?? "x"]: badParam } : {}) };
    const key = target.session || who === "session" ? null : who === "agent" ? world.agentKey : world.managerKey;
    return {
      label: `${target.name} as ${who}, ${body.kind}${badParam ? ", bad param" : ""}`,
      req: restRequest(target, { body: body.text, key }),
      handler: target.handler,
      params,
      sessionUser: key ? null : target.session ? world.adminId : world.agentId,
      mustFail: true,
    };
  });

const badQuery = fc.oneof(
  fc.constantFrom("?dateFrom=0000-01-01", "?dateTo=9999-12-31", "?dateFrom=2026-02-30", "?status=nope", "?dateFrom=%00", "?status=%ED%A0%80", "?dateFrom=-001000-01-01", "?dateTo=275760-09-14"),
  badString.map((s) => `?status=${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ""))}%00`),
);

const readRequests: fc.Arbitrary<Sent> = fc
  .tuple(fc.constantFrom(...GETS), badQuery, fc.option(badString, { freq: 3 }), fc.constantFrom("agent", "manager"))
  .map(([target, query, badParam, who]) => {
    const params = { ...target.params(), ...(badParam || !query ? { [Object.keys(target.params())[0] ?? "x"]: badParam ?? "x" } : {}) };
    const key = target.session ? null : who === "agent" ? world.agentKey : world.managerKey;
    return { label: `${target.name} ${query}`, req: restRequest(target, { query, key }), handler: target.handler, params, sessionUser: target.session ? world.adminId : null, mustFail: !target.session && (target.name === "GET cancellations" || badParam !== null) };
  });

const authRequests: fc.Arbitrary<Sent> = fc
  .tuple(fc.constantFrom(...REST, ...GETS), fc.constantFrom("pck_nope", "Basic Zm9vOmJhcg==", "x".repeat(300), "pck_\u00ff\u00fe"), fc.integer({ min: 1, max: 250 }))
  .map(([target, key, n]) => {
    const params = target.params();
    return {
      label: `${target.name} with key ${key.slice(0, 12)}`,
      req: restRequest(target, { body: target.body ? JSON.stringify(target.body()) : undefined, key, ip: `198.51.100.${n}` }),
      handler: target.handler,
      params,
      sessionUser: null,
      mustFail: true,
    };
  });

const catchAllRequests: fc.Arbitrary<Sent> = fc
  .tuple(fc.constantFrom("GET", "POST"), fc.webPath(), fc.string({ maxLength: 30 }))
  .map(([method, p, body]) => ({
    label: `${method} /api/v1${p}`,
    req: new Request(`http://localhost/api/v1/x${p}`, { method, body: method === "POST" ? body : undefined }),
    handler: (async (req: Request) => (method === "GET" ? catchAllGet : catchAllPost)(req)) as Handler,
    params: {},
    sessionUser: null,
    mustFail: true,
  }));

const webhookRequests: fc.Arbitrary<Sent> = fc
  .tuple(
    fc.constantFrom(["stripe", stripeWebhook], ["paypal", paypalWebhook], ["adyen", adyenWebhook]),
    fc.oneof(
      poisoned({ id: "evt_1", type: "refund.updated", data: { object: { id: "re_1", status: "succeeded", amount: 100 } } }).map((p) => p.text),
      poisoned({ live: "false", notificationItems: [{ NotificationRequestItem: { pspReference: "P1", eventCode: "REFUND", success: "true", amount: { value: 1, currency: "USD" } } }] }).map((p) => p.text),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
    ),
    fc.dictionary(fc.constantFrom("stripe-signature", "paypal-transmission-sig", "paypal-auth-algo", "paypal-cert-url", "paypal-transmission-id"), fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")), { maxKeys: 3 }),
  )
  .map(([[name, handler], body, headers]) => ({
    label: `webhook ${name}`,
    req: new Request(`http://localhost/api/webhooks/${name}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }),
    handler: handler as Handler,
    params: {},
    sessionUser: null,
    mustFail: true,
  }));

const PROCEDURES = Object.keys(appRouter._def.procedures);
const defOf = (p: string) => (appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: unknown[] } }>)[p]!._def;
// Mutations that take input: every generated input for them is invalid. (Those without input, like audit.verifyChain, ignore it.)
const MUTATIONS = new Set(PROCEDURES.filter((p) => defOf(p).type === "mutation" && defOf(p).inputs.length > 0));

const trpcInput = (procedure: string): Json => {
  if (procedure.startsWith("order.get")) return { orderId: world.orderId };
  if (procedure === "order.search") return { query: "fuzz", dateFrom: "2026-01-01" };
  if (procedure.startsWith("cancellation.")) {
    return { orderId: world.bigOrderId, cancellationId: world.pendingId, idempotencyKey: "fuzz-trpc", request: cancelBody, note: "ok" };
  }
  return { userId: world.agentId, apiKeyId: NIL, limit: 5, storeId: "STORE-FZ" };
};

const trpcRequests: fc.Arbitrary<Sent> = fc
  .tuple(
    fc.oneof(fc.constantFrom(...PROCEDURES), fc.constantFrom("nope", "order", "order.nope", "admin.users", "__proto__", "order.get,cancellation.submit", "constructor.prototype", "order.get,nope", "")),
    fc.constantFrom("GET", "POST", "POST", "PUT", "HEAD", "DELETE"),
    fc.boolean(),
    fc.constantFrom("application/json", "application/json", "text/plain", null, "multipart/form-data; boundary=x", "application/octet-stream", "application/json; charset=utf-16"),
    fc.constantFrom("agent", "admin", "none"),
  )
  .chain(([procedure, method, batch, contentType, who]) => {
    const first = procedure.split(",")[0] ?? "";
    const encodings: fc.Arbitrary<{ kind: string; text: string }>[] = [
      poisoned({ json: trpcInput(first) }).map((p) => ({ kind: `superjson ${p.kind}`, text: p.text })),
      fc.constantFrom("", "null", "{\"json\":null}", "{\"json\":{},\"meta\":{\"values\":{\"orderId\":[\"Date\"]}}}", "{\"json\":{\"a\":1},\"meta\":{\"values\":{\"a\":[[\"custom\",\"nope\"]]}}}", "{\"json\":{},\"meta\":{\"values\":{\"__proto__.x\":[\"Date\"]}}}", "{\"json\":1,\"meta\":{\"values\":[\"bigint\"]}}", "{\"json\":\"x\",\"meta\":{\"values\":[\"set\"]}}", "{\"json\":{},\"meta\":\"garbage\"}", "{\"json\":{\"orderId\":\"x\"},\"meta\":{\"values\":{\"orderId\":[\"class\",\"Nope\"]}},\"x\":1}").map((t) => ({ kind: "protocol", text: t })),
    ];
    return fc.tuple(fc.constant({ procedure, method, batch, contentType, who }), fc.oneof(...encodings));
  })
  .map(([{ procedure, method, batch, contentType, who }, input]) => {
    const text = batch ? (input.text === "" ? "" : `{"0":${input.text}}`) : input.text;
    const url = new URL(`http://localhost/api/trpc/${procedure}`);
    if (batch) url.searchParams.set("batch", "1");
    const hasBody = method !== "GET" && method !== "HEAD";
    if (!hasBody && text) url.searchParams.set("input", text.slice(0, 20_000));
    const headers = new Headers({ origin: "http://localhost", "sec-fetch-site": "same-origin" });
    if (contentType) headers.set("content-type", contentType);
    return {
      label: `tRPC ${method} ${procedure} ${input.kind} as ${who} (${contentType})`,
      req: new Request(url, { method, headers, body: hasBody ? text : undefined }),
      handler: (method === "GET" || method === "HEAD" ? trpcGet : trpcPost) as unknown as Handler,
      params: {},
      sessionUser: who === "agent" ? world.agentId : who === "admin" ? world.adminId : null,
      mustFail: MUTATIONS.has(procedure) || procedure.includes(",") || !PROCEDURES.includes(procedure),
    };
  });


// GraphQL (SPEC §12): the operations with bad variables, bad documents and bad envelopes. A refusal
// may come as HTTP 200 (GraphQL over HTTP): it must still carry only errors whose extensions.code
// is one of the error model's 4xx codes, and no data.
const GQL = {
  cancel: `mutation Cancel($orderId: ID!, $items: [CancellationItemInput!]!, $reason: String!, $key: String!, $previewVersion: Int, $note: String) {
    cancelPartialQuantity(orderId: $orderId, items: $items, reason: $reason, idempotencyKey: $key, previewVersion: $previewVersion, note: $note, refundMethod: ORIGINAL) { id status refundAmount }
  }`,
  preview: `query Preview($orderId: ID!, $items: [CancellationItemInput!]!, $reason: String!) {
    cancellationPreview(orderId: $orderId, items: $items, reason: $reason) { previewVersion totals { total } }
  }`,
  approve: `mutation Approve($id: ID!, $note: String) { approveCancellation(id: $id, note: $note) { id status } }`,
  reject: `mutation Reject($id: ID!, $note: String!) { rejectCancellation(id: $id, note: $note) { id status } }`,
  withdraw: `mutation Withdraw($id: ID!, $note: String) { withdrawCancellation(id: $id, note: $note) { id status } }`,
  cancellations: `query List($orderId: ID!, $dateFrom: String, $status: CancellationStatus) { cancellations(orderId: $orderId, dateFrom: $dateFrom, status: $status) { id } }`,
};
type GqlBody = { query: string; variables?: Json; operationName?: string };
const gqlCancelVars = (): Json => ({ orderId: world.orderId, items: [{ orderLineId: "A", quantity: 1 }], reason: "CUSTOMER_REQUEST", key: "fuzz-gql", note: "fuzz" });
const gqlBases = (): GqlBody[] => [
  { query: GQL.cancel, variables: gqlCancelVars() },
  { query: GQL.preview, variables: { orderId: world.orderId, items: [{ orderLineId: "A", quantity: 1 }], reason: "CUSTOMER_REQUEST" } },
  { query: GQL.approve, variables: { id: world.pendingId, note: "fine" } },
  { query: GQL.reject, variables: { id: world.pendingId, note: "no" } },
  { query: GQL.withdraw, variables: { id: world.pendingId } },
];
const cancelWith = (change: Record<string, Json>, item: Record<string, Json> = {}): (() => GqlBody) => () => ({
  query: GQL.cancel,
  variables: { ...(gqlCancelVars() as Record<string, Json>), items: [{ orderLineId: "A", quantity: 1, ...item }], ...change },
});
/** Well-formed requests whose input no caller may get through: each is a defect of its own. */
const GQL_DEFECTS: [string, () => GqlBody][] = [
  ["quantity 0", cancelWith({}, { quantity: 0 })],
  ["quantity -5", cancelWith({}, { quantity: -5 })],
  ["quantity over Int", cancelWith({}, { quantity: 2 ** 31 })],
  ["quantity 1.5", cancelWith({}, { quantity: 1.5 })],
  ["quantity over cancellable", cancelWith({}, { quantity: 1_000_000 })],
  ["quantity as string", cancelWith({}, { quantity: "1" })],
  ["unknown line", cancelWith({}, { orderLineId: "ZZ" })],
  ["no items", cancelWith({ items: [] })],
  ["line twice", cancelWith({ items: [{ orderLineId: "A", quantity: 1 }, { orderLineId: "A", quantity: 1 }] })],
  ["empty reason", cancelWith({ reason: "" })],
  ["reason too long", cancelWith({ reason: "R".repeat(51) })],
  ["no such order", cancelWith({ orderId: NIL })],
  ["order id not a uuid", cancelWith({ orderId: "order-1" })],
  ["stale previewVersion", cancelWith({ previewVersion: -1 })],
  ["note too long", cancelWith({ note: "n".repeat(5_001) })],
  ["missing key", () => ({ query: GQL.cancel, variables: { ...(gqlCancelVars() as Record<string, Json>), key: null } })],
  ["preview quantity 0", () => ({ query: GQL.preview, variables: { orderId: world.orderId, items: [{ orderLineId: "A", quantity: 0 }], reason: "CUSTOMER_REQUEST" } })],
  ["preview other store's order id", () => ({ query: GQL.preview, variables: { orderId: NIL, items: [{ orderLineId: "A", quantity: 1 }], reason: "CUSTOMER_REQUEST" } })],
  ["approve no such", () => ({ query: GQL.approve, variables: { id: NIL } })],
  ["approve bad id", () => ({ query: GQL.approve, variables: { id: "x".repeat(300) } })],
  ["reject without note", () => ({ query: GQL.reject, variables: { id: world.pendingId } })],
  ["reject blank note", () => ({ query: GQL.reject, variables: { id: world.pendingId, note: "   " } })],
  ["withdraw no such", () => ({ query: GQL.withdraw, variables: { id: NIL } })],
  ["list bad date", () => ({ query: GQL.cancellations, variables: { orderId: world.bigOrderId, dateFrom: "2026-02-30" } })],
  ["list bad status", () => ({ query: GQL.cancellations, variables: { orderId: world.bigOrderId, status: "NOPE" } })],
  ["syntax error", () => ({ query: "mutation { cancelPartialQuantity(" })],
  ["unknown field", () => ({ query: "{ nope }" })],
  ["unknown argument", () => ({ query: `{ order(id: "${world.orderId}", nope: 1) { id } }` })],
  ["missing argument", () => ({ query: "mutation { approveCancellation { id } }" })],
  ["subscription", () => ({ query: "subscription { x }" })],
  ["no query", () => ({ query: "" })],
  ["variables not an object", () => ({ query: GQL.approve, variables: "x" })],
  ["unknown operationName", () => ({ ...gqlBases()[2]!, operationName: "Nope" })],
  ["two operations, none named", () => ({ query: `${GQL.approve}\n${GQL.withdraw}`, variables: { id: world.pendingId } })],
  ["too deep", () => ({ query: `{ cancellation(id: "${world.pendingId}") { ${"order { cancellations { ".repeat(5)}id${" } }".repeat(5)} } }` })],
  ["too costly", () => ({ query: `{ ${Array.from({ length: 40 }, (_, i) => `o${i}: orders(first: 50) { edges { node { id lines { sku unitPrice tax discount quantity cancellable } } } }`).join(" ")} }` })],
];

const graphqlRequests: fc.Arbitrary<Sent> = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.constantFrom(...GQL_DEFECTS).map(([kind, make]) => ({ kind, text: JSON.stringify(make()), wellFormed: true })), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 4 }).chain((i) => poisoned(gqlBases()[i] as unknown as Json)).map((p) => ({ ...p, wellFormed: false })), weight: 3 },
    ),
    fc.constantFrom("agent", "manager", "session", "none"),
    fc.constantFrom("POST", "POST", "POST", "GET"),
    fc.constantFrom("application/json", "application/json", "application/graphql+json", "text/plain", null),
  )
  .map(([body, who, chosenMethod, contentType]) => {
    // A body's defect (malformed, too large …) is a POST's; a well-formed defect travels either way.
    const method = body.wellFormed ? chosenMethod : "POST";
    const url = new URL("http://localhost/api/graphql");
    const headers = new Headers({ "user-agent": "fuzz", "x-forwarded-for": "127.0.0.1", origin: "http://localhost", "sec-fetch-site": "same-origin", accept: "application/graphql-response+json, application/json" });
    if (contentType) headers.set("content-type", contentType);
    const key = who === "agent" ? world.agentKey : who === "manager" ? world.managerKey : null;
    if (key) headers.set("authorization", `Bearer ${key}`);
    if (method === "GET") {
      // The same operation as GET parameters: a mutation is refused (405), a bad read as over POST.
      for (const [name, value] of Object.entries(JSON.parse(body.text) as Record<string, unknown>)) url.searchParams.set(name, typeof value === "string" ? value : JSON.stringify(value));
    }
    return {
      label: `GraphQL ${method} ${body.kind} as ${who} (${contentType})`,
      req: new Request(url, { method, headers, body: method === "POST" ? body.text : undefined }),
      handler: (method === "GET" ? graphqlGet : graphqlPost) as Handler,
      params: {},
      sessionUser: who === "session" ? world.agentId : null,
      mustFail: true,
      graphql: true,
    };
  });

/** A GraphQL answer that refuses: no data, only errors, each with a 4xx code of the error model. */
function graphqlRefusal(status: number, text: string): string | null {
  let body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: unknown } }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return "not JSON";
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return "not a GraphQL answer";
  if (!Array.isArray(body.errors) || body.errors.length === 0) return "no errors";
  const data = body.data;
  if (data && Object.values(data).some((v) => v !== null)) return "data despite the errors";
  for (const e of body.errors) {
    const code = e.extensions?.code;
    if (typeof code !== "string" || !Object.hasOwn(httpStatusFor, code)) return `code ${String(code)} is not the error model's`;
    const codeStatus = httpStatusFor[code as keyof typeof httpStatusFor];
    if (codeStatus < 400 || codeStatus >= 500) return `code ${code} is not a refusal (${codeStatus})`;
  }
  return status >= 500 ? `status ${status}` : null;
}

const anyBadRequest = fc.oneof(
  { arbitrary: writeRequests, weight: 5 },
  { arbitrary: readRequests, weight: 2 },
  { arbitrary: authRequests, weight: 1 },
  { arbitrary: catchAllRequests, weight: 1 },
  { arbitrary: webhookRequests, weight: 2 },
  { arbitrary: trpcRequests, weight: 5 },
  { arbitrary: graphqlRequests, weight: 4 },
);

// ---------------------------------------------------------------------------------------------

const STACK = /\n\s+at\s|\bat\s+\S+\s+\([^)]*:\d+:\d+\)|node_modules|\.ts:\d+/;
const SQL = /\b(SELECT|INSERT INTO|DELETE FROM|UPDATE\s+"?\w+"?\s+SET)\b|prisma|PrismaClient|violates|invalid byte sequence|relation "|syntax error at|\bP20\d\d\b|22P05|unsupported Unicode escape/i;

it("covers every REST route handler under app/api/v1", async () => {
  const dir = path.resolve(import.meta.dirname, "../app/api/v1");
  // openapi.json takes no input at all (a static document; test/openapi.test.ts checks it).
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f) === "route.ts" && !f.includes("[...") && !f.startsWith("openapi.json"));
  const covered = new Set<unknown>([...REST, ...GETS].map((t) => t.handler));
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
    for (const [method, handler] of Object.entries(mod)) if (typeof handler === "function") expect(covered.has(handler), `${method} ${file}`).toBe(true);
  }
});

it(`answers ${RUNS} generated bad requests with a 4xx JSON error and changes nothing`, async () => {
  console.log(`fuzz: seed ${SEED}, ${RUNS} requests (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(anyBadRequest, async (sent_) => {
      session.userId = sent_.sessionUser;
      sent += 1;
      let response: Response;
      try {
        response = await sent_.handler(sent_.req, { params: Promise.resolve(sent_.params) });
      } finally {
        session.userId = null;
      }
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const where = `${sent_.label} → ${response.status} ${text.slice(0, 300)}`;
      expect(response.status, where).toBeLessThan(500);
      if (sent_.graphql) {
        graphqlSent += 1;
        expect(graphqlRefusal(response.status, text), where).toBeNull();
      }
      // A tRPC batch whose calls fail differently answers 207 with one error per call.
      const refused = response.status >= 400 || (response.status === 207 && (JSON.parse(text) as { error?: unknown }[]).every((r) => r.error));
      if (sent_.mustFail && !sent_.graphql && sent_.req.method !== "HEAD") expect(refused, where).toBe(true);
      if (response.status >= 400) expect(() => JSON.parse(text), where).not.toThrow();
      expect(text, where).not.toMatch(STACK);
      expect(text, where).not.toMatch(SQL);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  console.log(`fuzz: ${sent} requests sent; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  expect(sent).toBe(RUNS);
  console.log(`fuzz: ${graphqlSent} of them GraphQL`);
  expect(graphqlSent).toBeGreaterThan(RUNS / 10);
  expect(await snapshot()).toEqual(snapshotBefore);
}, 300_000);
