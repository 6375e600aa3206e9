import createClient from "openapi-fetch";
import type { components, paths } from "./openapi-v1";

/*
 * An integrator's client: openapi-fetch typed by the generated openapi-v1.d.ts. SPEC §3 example A
 * goes through it in test/generated-client.test.ts (preview, submit under an Idempotency-Key,
 * status), so a change to the document that would break such a client fails there.
 */
export type Client = ReturnType<typeof connect>;
export type Preview = components["schemas"]["Preview"];
export type Cancellation = components["schemas"]["Cancellation"];

export function connect(baseUrl: string, apiKey: string) {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });
}

export async function importOrder(client: Client, order: components["schemas"]["ImportOrderRequest"]): Promise<string> {
  const { data, error, response } = await client.POST("/api/v1/orders", { body: order });
  if (!data) throw new Error(`import: ${response.status} ${JSON.stringify(error)}`);
  return data.orderId;
}

const request = (units: Record<string, number>): components["schemas"]["CancellationRequest"] => ({
  orderLineIds: Object.keys(units),
  quantities: Object.values(units),
  reason: "CUSTOMER_REQUEST",
  refundMethod: "original",
});

/** The refund preview for cancelling `units` ({lineId: quantity}). */
export async function previewUnits(client: Client, orderId: string, units: Record<string, number>): Promise<Preview> {
  const { data, error, response } = await client.POST("/api/v1/orders/{orderId}/cancel-partial/preview", { params: { path: { orderId } }, body: request(units) });
  if (!data) throw new Error(`preview: ${response.status} ${JSON.stringify(error)}`);
  return data;
}

/** Submits what the preview showed; the same key and body again answers the first answer. */
export async function submitUnits(client: Client, orderId: string, units: Record<string, number>, previewVersion: number, idempotencyKey: string) {
  const { data, error, response } = await client.POST("/api/v1/orders/{orderId}/cancel-partial", {
    params: { path: { orderId }, header: { "Idempotency-Key": idempotencyKey }, query: { wait: 5000 } },
    body: { ...request(units), previewVersion },
  });
  if (!data) throw new Error(`submit: ${response.status} ${JSON.stringify(error)}`);
  return { cancellation: data, replayed: response.headers.get("idempotent-replayed") === "true" };
}

export async function cancellationStatus(client: Client, orderId: string, cancellationId: string): Promise<Cancellation> {
  const { data, error, response } = await client.GET("/api/v1/orders/{orderId}/cancellations/{cancellationId}", { params: { path: { orderId, cancellationId } } });
  if (!data) throw new Error(`status: ${response.status} ${JSON.stringify(error)}`);
  return data;
}
