import { FAULT_KINDS, view, type FakeProvider, type FakeStore, type FaultKind, type StoredResponse } from "./store";

/*
 * The fake's own endpoints, for dev tooling and tests:
 *   POST /_fake/payments {provider, reference, currency, authorized, captured}   register a payment
 *   GET  /_fake/payments/:provider/:reference                                    state + operations
 *   POST /_fake/faults {provider, operation?, reference?, fault, count?, ms?}     inject faults
 *   GET  /_fake/faults · GET /_fake/webhooks · POST /_fake/reset
 */

const PROVIDERS: readonly FakeProvider[] = ["stripe", "paypal", "adyen"];

const bad = (message: string): StoredResponse => ({ status: 400, body: { error: message } });

export function handleAdmin(method: string, pathname: string, raw: string, store: FakeStore): StoredResponse {
  let body: Record<string, unknown> = {};
  if (method === "POST" && raw.trim() !== "") {
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return bad("body must be JSON");
    }
  }
  if (method === "POST" && pathname === "/_fake/payments") return register(body, store);
  const paymentPath = /^\/_fake\/payments\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (method === "GET" && paymentPath) {
    const payment = store.find(paymentPath[1] as FakeProvider, decodeURIComponent(paymentPath[2]!));
    return payment ? { status: 200, body: view(payment) } : { status: 404, body: { error: "no such payment" } };
  }
  if (method === "POST" && pathname === "/_fake/faults") return addFault(body, store);
  if (method === "GET" && pathname === "/_fake/faults") return { status: 200, body: store.faults };
  if (method === "GET" && pathname === "/_fake/webhooks") return { status: 200, body: store.webhooks };
  if (method === "POST" && pathname === "/_fake/reset") {
    store.reset();
    return { status: 204, body: undefined };
  }
  return { status: 404, body: { error: `provider fake: no admin route ${method} ${pathname}` } };
}

function register(body: Record<string, unknown>, store: FakeStore): StoredResponse {
  const { provider, reference, currency, authorized, captured = 0 } = body;
  if (!PROVIDERS.includes(provider as FakeProvider)) return bad(`provider must be one of ${PROVIDERS.join(", ")}`);
  if (typeof reference !== "string" || reference === "") return bad("reference must be a non-empty string");
  if (typeof currency !== "string" || !/^[A-Za-z]{3}$/.test(currency)) return bad("currency must be an ISO 4217 code");
  if (!isAmount(authorized) || authorized === 0) return bad("authorized must be a positive integer (minor units)");
  if (!isAmount(captured) || captured > authorized) return bad("captured must be an integer between 0 and authorized");
  try {
    const payment = store.register({ provider: provider as FakeProvider, reference, currency, authorized, captured });
    return { status: 201, body: view(payment) };
  } catch (error) {
    return { status: 409, body: { error: (error as Error).message } };
  }
}

function addFault(body: Record<string, unknown>, store: FakeStore): StoredResponse {
  const { provider, operation, reference, fault, count = 1, ms = 0 } = body;
  if (!PROVIDERS.includes(provider as FakeProvider)) return bad(`provider must be one of ${PROVIDERS.join(", ")}`);
  if (!FAULT_KINDS.includes(fault as FaultKind)) return bad(`fault must be one of ${FAULT_KINDS.join(", ")}`);
  if (!isAmount(count) || count === 0) return bad("count must be a positive integer");
  if (!isAmount(ms)) return bad("ms must be a non-negative integer");
  if (operation !== undefined && typeof operation !== "string") return bad("operation must be a string");
  if (reference !== undefined && typeof reference !== "string") return bad("reference must be a string");
  const created = store.addFault({
    provider: provider as FakeProvider,
    operation,
    reference,
    kind: fault as FaultKind,
    count,
    ms,
  });
  return { status: 201, body: created };
}

function isAmount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
