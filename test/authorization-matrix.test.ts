import { readdirSync } from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as exportAuditRoute } from "@/app/admin/audit/export/route";
import { appRouter } from "@/server/api/root";
import { createCallerFactory } from "@/server/api/trpc";
import type { Actor, ApiScope, Role } from "@/server/auth/permissions";
import { API_SCOPES } from "@/server/auth/permissions";
import { getDb } from "@/server/db/client";
import { handleGraphqlRequest } from "@/server/graphql/handler";
import { graphqlSchema } from "@/server/graphql/schema";
import { createApiKey } from "./factories";
import { callRoute } from "./rest";

import { actorFor } from "./saga-harness";

// Outside Next there is no cookie to read: the "browser session" is whoever this names.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId }, expires: new Date(Date.now() + 60_000).toISOString() } : null),
}));

/*
 * Who may call what. One row per tRPC procedure and one per REST route; a
 * procedure or route that exists without a row here fails the test, so a new
 * endpoint cannot ship without someone deciding who may call it.
 *
 * "allow" means the gate let the caller through: any answer but UNAUTHORIZED /
 * FORBIDDEN (a NOT_FOUND or BAD_REQUEST from the minimal input below proves it).
 * "deny" means UNAUTHORIZED for the signed-out caller and FORBIDDEN for a
 * signed-in one.
 */
type Verdict = "allow" | "deny";
const NIL = "00000000-0000-4000-8000-000000000000";
const REQUEST = { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" };

// prettier-ignore
const PROCEDURES: [procedure: string, signedOut: Verdict, agent: Verdict, manager: Verdict, admin: Verdict, input: unknown][] = [
  // procedure                                   signed out  agent     manager   admin     minimal input
  ["me",                                         "deny",     "allow",  "allow",  "allow",  undefined],
  ["order.get",                                  "deny",     "allow",  "allow",  "allow",  { orderId: NIL }],
  ["order.search",                               "deny",     "allow",  "allow",  "allow",  { pageSize: 1 }],
  ["order.customer",                             "deny",     "allow",  "allow",  "allow",  { orderId: NIL }],
  ["cancellation.reasonCodes",                    "deny",     "allow",  "allow",  "allow",  undefined],
  ["cancellation.preview",                       "deny",     "allow",  "allow",  "allow",  { orderId: NIL, request: REQUEST }],
  ["cancellation.emailPreview",                  "deny",     "allow",  "allow",  "allow",  { orderId: NIL, request: REQUEST }],
  ["cancellation.messages",                      "deny",     "allow",  "allow",  "allow",  { orderId: NIL, cancellationId: NIL }],
  ["cancellation.submit",                        "deny",     "allow",  "allow",  "allow",  { orderId: NIL, idempotencyKey: "matrix", request: REQUEST }],
  ["cancellation.get",                           "deny",     "allow",  "allow",  "allow",  { orderId: NIL, cancellationId: NIL }],
  ["cancellation.list",                          "deny",     "allow",  "allow",  "allow",  { orderId: NIL }],
  ["cancellation.approve",                       "deny",     "deny",   "allow",  "allow",  { cancellationId: NIL }],
  ["cancellation.reject",                        "deny",     "deny",   "allow",  "allow",  { cancellationId: NIL, note: "matrix" }],
  ["cancellation.withdraw",                      "deny",     "allow",  "allow",  "allow",  { cancellationId: NIL }],
  ["cancellation.mine",                          "deny",     "allow",  "allow",  "allow",  { group: "pending" }],
  ["approval.queue",                             "deny",     "deny",   "allow",  "allow",  { storeId: "MATRIX-NONE" }],
  ["approval.get",                               "deny",     "deny",   "allow",  "allow",  { cancellationId: NIL }],
  ["approval.count",                             "deny",     "deny",   "allow",  "allow",  undefined],
  ["approval.decideMany",                        "deny",     "deny",   "allow",  "allow",  { cancellationIds: [NIL], decision: "approved" }],
  ["insights.get",                               "deny",     "deny",   "allow",  "allow",  { storeId: "MATRIX-NONE" }],
  ["notices.list",                               "deny",     "allow",  "allow",  "allow",  undefined],
  ["notices.markRead",                           "deny",     "allow",  "allow",  "allow",  { all: true }],
  ["admin.rules.get",                            "deny",     "deny",   "deny",   "allow",  undefined],
  ["admin.rules.save",                           "deny",     "deny",   "deny",   "allow",  {}],
  ["admin.rules.compare",                        "deny",     "deny",   "deny",   "allow",  { from: 0, to: 0 }],
  ["admin.users.list",                           "deny",     "deny",   "deny",   "allow",  undefined],
  ["admin.users.create",                         "deny",     "deny",   "deny",   "allow",  {}],
  ["admin.users.update",                         "deny",     "deny",   "deny",   "allow",  {}],
  ["admin.users.resetTotp",                      "deny",     "deny",   "deny",   "allow",  { userId: NIL }],
  ["admin.users.loginAttempts",                  "deny",     "deny",   "deny",   "allow",  { limit: 1 }],
  ["admin.apiKeys.list",                         "deny",     "deny",   "deny",   "allow",  undefined],
  ["admin.apiKeys.create",                       "deny",     "deny",   "deny",   "allow",  {}],
  ["admin.apiKeys.revoke",                       "deny",     "deny",   "deny",   "allow",  { apiKeyId: NIL }],
  ["admin.apiKeys.setRateLimit",                 "deny",     "deny",   "deny",   "allow",  { apiKeyId: NIL, perMinute: 100 }],
  ["admin.operations.deadLetters",               "deny",     "deny",   "deny",   "allow",  {}],
  ["admin.operations.retryDeadLetter",           "deny",     "deny",   "deny",   "allow",  { deadLetterId: NIL }],
  ["admin.operations.resolveDeadLetter",         "deny",     "deny",   "deny",   "allow",  { deadLetterId: NIL, note: "matrix" }],
  ["admin.operations.manualRefundTasks",         "deny",     "deny",   "deny",   "allow",  {}],
  ["admin.operations.completeManualRefundTask",  "deny",     "deny",   "deny",   "allow",  { taskId: NIL, reference: "matrix" }],
  ["admin.operations.parkedEvents",              "deny",     "deny",   "deny",   "allow",  {}],
  ["admin.operations.retryParkedEvent",          "deny",     "deny",   "deny",   "allow",  { eventId: NIL }],
  ["admin.operations.providerHealth",            "deny",     "deny",   "deny",   "allow",  undefined],
  ["admin.operations.inventoryDiscrepancies",    "deny",     "deny",   "deny",   "allow",  {}],
  ["admin.operations.resolveInventoryDiscrepancy", "deny",   "deny",   "deny",   "allow",  { discrepancyId: NIL, note: "matrix" }],
  ["admin.audit.search",                         "deny",     "deny",   "deny",   "allow",  { limit: 1 }],
  ["admin.audit.verifyChain",                    "deny",     "deny",   "deny",   "allow",  undefined],
];

type Caller = "noKey" | ApiScope | "agentAllScopes";
const CALLERS: Caller[] = ["noKey", ...API_SCOPES, "agentAllScopes"];

// The scope columns use keys of a system admin's service user holding that one scope, so only
// the scope decides; the last column is an agent's key with every scope, so only the role does.
// prettier-ignore
const ROUTES: [route: string, noKey: Verdict, ordersRead: Verdict, ordersWrite: Verdict, cancellationsWrite: Verdict, cancellationsApprove: Verdict, agentAllScopes: Verdict, body?: unknown][] = [
  // method and path                                               no key  orders:read orders:write cancellations:write cancellations:approve agent (all scopes)
  ["POST /api/v1/orders",                                          "deny", "deny",     "allow",     "deny",             "deny",               "allow", {}],
  ["GET /api/v1/orders/{orderId}",                                 "deny", "allow",    "deny",      "deny",             "deny",               "allow"],
  ["POST /api/v1/orders/{orderId}/cancel-partial/preview",         "deny", "allow",    "deny",      "deny",             "deny",               "allow", REQUEST],
  ["POST /api/v1/orders/{orderId}/cancel-partial",                 "deny", "deny",     "deny",      "allow",            "deny",               "allow", REQUEST],
  ["GET /api/v1/orders/{orderId}/cancellations",                   "deny", "allow",    "deny",      "deny",             "deny",               "allow"],
  ["GET /api/v1/orders/{orderId}/cancellations/{cancellationId}",  "deny", "allow",    "deny",      "deny",             "deny",               "allow"],
  ["POST /api/v1/cancellations/{cancellationId}/approve",          "deny", "deny",     "deny",      "deny",             "allow",              "deny",  {}],
  ["POST /api/v1/cancellations/{cancellationId}/reject",           "deny", "deny",     "deny",      "deny",             "allow",              "deny",  { note: "matrix" }],
  ["POST /api/v1/cancellations/{cancellationId}/withdraw",         "deny", "deny",     "deny",      "allow",            "deny",               "allow", {}],
  // The published contract holds no data: anyone may read it.
  ["GET /api/v1/openapi.json",                                     "allow", "allow",   "allow",     "allow",            "allow",              "allow"],
];

// The same columns for each GraphQL operation (SPEC §12): "deny" is 401 UNAUTHENTICATED without a
// key and a FORBIDDEN error code with one; "allow" is any other answer (NOT_FOUND for the nil id).
const ITEMS = '[{ orderLineId: "1", quantity: 1 }]';
// prettier-ignore
const GRAPHQL: [field: string, noKey: Verdict, ordersRead: Verdict, ordersWrite: Verdict, cancellationsWrite: Verdict, cancellationsApprove: Verdict, agentAllScopes: Verdict, operation: string][] = [
  // field                      no key  orders:read orders:write cancellations:write cancellations:approve agent (all scopes)
  ["Query.order",               "deny", "allow",    "deny",      "deny",             "deny",               "allow", `{ order(id: "${NIL}") { id } }`],
  ["Query.orders",              "deny", "allow",    "deny",      "deny",             "deny",               "allow", `{ orders(first: 1) { edges { cursor } } }`],
  ["Query.cancellation",        "deny", "allow",    "deny",      "deny",             "deny",               "allow", `{ cancellation(id: "${NIL}") { id } }`],
  ["Query.cancellations",       "deny", "allow",    "deny",      "deny",             "deny",               "allow", `{ cancellations(orderId: "${NIL}") { id } }`],
  ["Query.cancellationPreview", "deny", "allow",    "deny",      "deny",             "deny",               "allow", `{ cancellationPreview(orderId: "${NIL}", items: ${ITEMS}, reason: "CUSTOMER_REQUEST") { previewVersion } }`],
  ["Mutation.cancelPartialQuantity", "deny", "deny", "deny",     "allow",            "deny",               "allow", `mutation { cancelPartialQuantity(orderId: "${NIL}", items: ${ITEMS}, reason: "CUSTOMER_REQUEST", idempotencyKey: "matrix") { id } }`],
  ["Mutation.approveCancellation", "deny", "deny",  "deny",      "deny",             "allow",              "deny",  `mutation { approveCancellation(id: "${NIL}") { id } }`],
  ["Mutation.rejectCancellation", "deny", "deny",   "deny",      "deny",             "allow",              "deny",  `mutation { rejectCancellation(id: "${NIL}", note: "matrix") { id } }`],
  ["Mutation.withdrawCancellation", "deny", "deny", "deny",      "allow",            "deny",               "allow", `mutation { withdrawCancellation(id: "${NIL}") { id } }`],
];

const ROLES: Record<"agent" | "manager" | "admin", Role> = { agent: "customer_service_agent", manager: "store_manager", admin: "system_admin" };
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const V1 = path.resolve(import.meta.dirname, "../app/api/v1");

/** Every `route.ts` under app/api/v1 as "METHOD /api/v1/…" per exported handler. */
async function restEndpoints(): Promise<{ name: string; handler: Parameters<typeof callRoute>[0]; params: Record<string, string> }[]> {
  // The catch-all [...path] only answers 404 for paths that are no route; it guards nothing.
  const files = readdirSync(V1, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f) === "route.ts" && !f.includes("[..."));
  const endpoints = [];
  for (const file of files) {
    const dir = path.dirname(file) === "." ? "" : `/${path.dirname(file).split(path.sep).join("/")}`;
    const urlPath = `/api/v1${dir}`.replace(/\[(\w+)\]/g, "{$1}");
    const params = Object.fromEntries([...dir.matchAll(/\[(\w+)\]/g)].map((m) => [m[1]!, NIL]));
    const mod = (await import(path.join(V1, file))) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") endpoints.push({ name: `${method} ${urlPath}`, handler: mod[method] as Parameters<typeof callRoute>[0], params });
    }
  }
  return endpoints;
}

function codeOf(error: unknown): string {
  return error instanceof TRPCError ? error.code : `not a TRPCError: ${String(error)}`;
}

describe("the authorization matrix", () => {
  const actors = {} as Record<"agent" | "manager" | "admin", Actor>;
  const keys = {} as Record<Caller, string | undefined>;
  beforeAll(async () => {
    actors.agent = await actorFor(ROLES.agent);
    actors.manager = await actorFor(ROLES.manager, ["STORE-001"]);
    actors.admin = await actorFor(ROLES.admin);
    for (const scope of API_SCOPES) keys[scope] = await createApiKey(actors.admin.userId, [scope]);
    keys.agentAllScopes = await createApiKey(actors.agent.userId, [...API_SCOPES]);
    keys.noKey = undefined;
  });

  it("has one row for every tRPC procedure, and no row for one that does not exist", () => {
    const existing = Object.keys(appRouter._def.procedures).sort();
    const listed = PROCEDURES.map((r) => r[0]).sort();
    expect(existing.filter((p) => !listed.includes(p)), "procedures without a row in PROCEDURES").toEqual([]);
    expect(listed.filter((p) => !existing.includes(p)), "rows for procedures that do not exist").toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("has one row for every REST route handler under app/api/v1, and no row for one that does not exist", async () => {
    const existing = (await restEndpoints()).map((e) => e.name).sort();
    const listed = ROUTES.map((r) => r[0]).sort();
    expect(existing.filter((r) => !listed.includes(r)), "routes without a row in ROUTES").toEqual([]);
    expect(listed.filter((r) => !existing.includes(r)), "rows for routes that do not exist").toEqual([]);
  });

  const cases = PROCEDURES.flatMap(([procedure, signedOut, agent, manager, admin, input]) =>
    (
      [
        ["signed out", signedOut],
        ["agent", agent],
        ["manager", manager],
        ["admin", admin],
      ] as const
    ).map(([who, verdict]) => ({ procedure, who, verdict, input })),
  );

  it.each(cases)("$procedure × $who → $verdict", async ({ procedure, who, verdict, input }) => {
    const actor = who === "signed out" ? null : actors[who];
    const caller = createCallerFactory(appRouter)({ db: getDb(), actor });
    const fn = procedure.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
    const code = await fn(input).then(
      () => "OK",
      (error: unknown) => codeOf(error),
    );
    if (verdict === "deny") expect(code).toBe(actor ? "FORBIDDEN" : "UNAUTHORIZED");
    // INTERNAL_SERVER_ERROR would mean the input above is wrong, not that the gate is right.
    else expect(["UNAUTHORIZED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"]).not.toContain(code);
  });

  it("never lets an API key into the admin console over tRPC, not even a system admin's with every scope", async () => {
    const adminKey: Actor = { ...actors.admin, kind: "api_key", scopes: [...API_SCOPES], apiKeyId: NIL, channel: "api" };
    const caller = createCallerFactory(appRouter)({ db: getDb(), actor: adminKey });
    const adminRows = PROCEDURES.filter(([procedure]) => procedure.startsWith("admin."));
    expect(adminRows.length).toBeGreaterThan(10);
    for (const [procedure, , , , , input] of adminRows) {
      const fn = procedure.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
      expect(await fn(input).then(() => "OK", codeOf), procedure).toBe("FORBIDDEN");
    }
  });

  const restCases = ROUTES.flatMap(([route, ...rest]) => CALLERS.map((caller, i) => ({ route, caller, verdict: rest[i] as Verdict, body: rest[6] })));

  it.each(restCases)("$route × $caller → $verdict", async ({ route, caller, verdict, body }) => {
    const endpoint = (await restEndpoints()).find((e) => e.name === route)!;
    const [method] = route.split(" ");
    const { status } = await callRoute(endpoint.handler, { key: keys[caller], params: endpoint.params, method, body, path: route.split(" ")[1]!.replace(/\{\w+\}/g, NIL) });
    if (verdict === "deny") expect(status).toBe(caller === "noKey" ? 401 : 403);
    else expect([401, 403, 500]).not.toContain(status);
  });

  it("has one row for every GraphQL query and mutation, and no row for one that does not exist", () => {
    const existing = [
      ...Object.keys(graphqlSchema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
      ...Object.keys(graphqlSchema.getMutationType()!.getFields()).map((f) => `Mutation.${f}`),
    ].sort();
    const listed = GRAPHQL.map((r) => r[0]).sort();
    expect(existing.filter((f) => !listed.includes(f)), "operations without a row in GRAPHQL").toEqual([]);
    expect(listed.filter((f) => !existing.includes(f)), "rows for operations that do not exist").toEqual([]);
  });

  const graphqlCases = GRAPHQL.flatMap(([field, ...rest]) => CALLERS.map((caller, i) => ({ field, caller, verdict: rest[i] as Verdict, operation: rest[6] as string })));

  it.each(graphqlCases)("GraphQL $field × $caller → $verdict", async ({ caller, verdict, operation }) => {
    const key = keys[caller];
    const headers = new Headers({ "content-type": "application/json", "x-forwarded-for": "127.0.0.1", ...(key ? { authorization: `Bearer ${key}` } : {}) });
    const response = await handleGraphqlRequest(new Request("http://localhost/api/graphql", { method: "POST", headers, body: JSON.stringify({ query: operation }) }));
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    const codes = (body.errors ?? []).map((e) => e.extensions?.code);
    if (verdict === "deny" && caller === "noKey") expect([response.status, codes]).toEqual([401, ["UNAUTHENTICATED"]]);
    else if (verdict === "deny") expect(codes).toEqual(["FORBIDDEN"]);
    else {
      expect(response.status).toBe(200);
      expect(codes.filter((c) => c === "FORBIDDEN" || c === "UNAUTHENTICATED" || c === "INTERNAL")).toEqual([]);
    }
  });

  it("lets only signed-in people with access_audit_logs export the audit log: never an API key, not even an admin's", async () => {
    const exportAs = async (opts: { key?: string; sessionUserId?: string }) => {
      session.userId = opts.sessionUserId ?? null;
      try {
        const headers = new Headers(opts.key ? { authorization: `Bearer ${opts.key}` } : {});
        return await exportAuditRoute(new Request(`http://localhost/admin/audit/export?actor=${actors.admin.userId}`, { headers }));
      } finally {
        session.userId = null;
      }
    };
    expect((await exportAs({})).status).toBe(401);
    expect((await exportAs({ key: "pck_not-a-real-key" })).status).toBe(401);
    expect((await exportAs({ key: keys["orders:read"] })).status).toBe(403);
    expect((await exportAs({ sessionUserId: actors.agent.userId })).status).toBe(403);
    expect((await exportAs({ sessionUserId: actors.manager.userId })).status).toBe(403);
    const allowed = await exportAs({ sessionUserId: actors.admin.userId });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect((await allowed.text()).split("\r\n")[0]).toMatch(/^id,at,actor_type,/);
  });
});
