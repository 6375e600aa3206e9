import { GET as statusRoute } from "@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route";
import { POST as importOrderRoute } from "@/app/api/v1/orders/route";
import type { ApiScope, Role } from "@/server/auth/permissions";
import type { TImportOrderInput } from "@/server/orders/import-order.schema";
import { createApiKey, createUser, unique } from "./factories";
import { until } from "./support/until";

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface RestCall {
  /** An API key for `Authorization: Bearer …`; omit for an unauthenticated call. */
  key?: string;
  params?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, e.g. malformed JSON or an empty body. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Defaults to POST with a body, GET without. */
  method?: string;
  path?: string;
}

/**
 * Calls an exported route handler (GET, POST, …) the way Next does: a real
 * Request and `{ params: Promise }`. Bearer auth needs no Next request context.
 */
export async function callRoute<T = unknown>(handler: RouteHandler, call: RestCall = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const headers = new Headers({ "user-agent": "vitest", "x-forwarded-for": "127.0.0.1" });
  if (call.key) headers.set("authorization", `Bearer ${call.key}`);
  for (const [name, value] of Object.entries(call.headers ?? {})) headers.set(name, value);
  const payload = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  if (payload !== undefined) headers.set("content-type", "application/json");
  const req = new Request(`http://localhost${call.path ?? "/api/v1/test"}`, {
    method: call.method ?? (payload === undefined ? "GET" : "POST"),
    headers,
    body: payload,
  });
  const response = await handler(req, { params: Promise.resolve(call.params ?? {}) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

/**
 * The REST status answer of a cancellation once `reached` holds for it: a worker runs the saga, so
 * this polls (every 25 ms, for up to a minute on a loaded machine) and fails naming the cancellation.
 */
export function statusWhen<T extends { status: string }>(key: string, orderId: string, cancellationId: string, reached: (s: T) => boolean): Promise<T> {
  return until(
    `cancellation ${cancellationId} to reach the expected state`,
    async () => {
      const { body } = await callRoute<T>(statusRoute, { key, params: { orderId, cancellationId } });
      return reached(body) ? body : undefined;
    },
    { everyMs: 25 },
  );
}

/** A new user with an API key: the caller of a REST test. */
export async function apiClient(opts: { role?: Role; stores?: string[]; scopes?: ApiScope[] } = {}) {
  const user = await createUser({ role: opts.role, stores: opts.stores });
  const key = await createApiKey(user.id, opts.scopes ?? ["orders:read", "orders:write", "cancellations:write"]);
  return { user, key };
}

/**
 * Imports `order` through POST /api/v1/orders with fresh externalId, store,
 * customer and tender references, so that tests never share data.
 */
export async function importUnique(key: string, order: TImportOrderInput, opts: { storeId?: string } = {}) {
  const body: TImportOrderInput = {
    ...order,
    externalId: unique(order.externalId),
    storeId: opts.storeId ?? unique("STORE"),
    customer: { ...order.customer, id: unique("CUST") },
    // A provider reference pays one order, and a gift card belongs to one customer: all are new.
    tenders: order.tenders.map((t) => ({ ...t, providerReference: unique(t.providerReference) })),
  };
  const response = await callRoute<{ orderId: string }>(importOrderRoute, { key, body });
  if (response.status !== 201) throw new Error(`import failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { orderId: response.body.orderId, order: body };
}
