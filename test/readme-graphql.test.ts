import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { exampleAOrder } from "@/server/dev/seed-orders";
import { apiClient, importUnique } from "./rest";
import { type SagaHarness, startSagaHarness } from "./saga-harness";
import { startTestServer, type TestServer } from "./support/http-server";

/*
 * The README's GraphQL example works as written: its three curl bodies, expanded by bash as the
 * reader's shell would (ORDER, the date), are sent to a test server's /api/graphql with an
 * agent's API key, against SPEC example A's order as the development seed has it.
 */
vi.mock("next-auth", async (original) => ({ ...(await original<typeof import("next-auth")>()), getServerSession: async () => null }));

let server: TestServer;
let h: SagaHarness;
beforeAll(async () => {
  h = await startSagaHarness();
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await h?.stop();
});

/** Each `--data-binary @- <<EOF … EOF` body of the README's GraphQL example, with its curl line. */
function readmeRequests(): { curl: string; body: string }[] {
  const readme = readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");
  const block = /```sh\n(# Find SPEC example A's order[\s\S]*?)```/.exec(readme)?.[1];
  expect(block, "the README's GraphQL example").toBeDefined();
  return [...block!.matchAll(/^(curl [^\n]*--data-binary @- <<EOF)\n([\s\S]*?)\nEOF$/gm)].map((m) => ({ curl: m[1]!, body: m[2]! }));
}

const expand = (body: string, env: Record<string, string>) => execFileSync("bash", ["--norc", "--noprofile", "-c", `cat <<EOF\n${body}\nEOF`], { env: { NODE_ENV: "test", PATH: process.env.PATH, ...env }, encoding: "utf8" });

it("finds example A's order, previews 194.85 and cancels 2 of line A", async () => {
  const { key } = await apiClient({ stores: [] });
  const order = exampleAOrder();
  await importUnique(key, order, { storeId: order.storeId });
  const requests = readmeRequests();
  expect(requests).toHaveLength(3);
  const send = async (curl: string, body: string) => {
    expect(curl).toBe("curl -s http://localhost:3000/api/graphql -H 'authorization: Bearer dev-agent-key' -H 'content-type: application/json' --data-binary @- <<EOF");
    const response = await fetch(`${server.url}/api/graphql`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { data: Record<string, unknown>; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    return answer.data;
  };

  // importUnique gives the order a fresh externalId: the README searches for the seed's.
  const found = (await send(requests[0]!.curl, expand(requests[0]!.body, {}).replace("WEB-EXAMPLE-A", order.externalId))) as { orders: { edges: { node: { id: string; lines: { lineId: string; cancellable: number }[] } }[] } };
  expect(found.orders.edges).toHaveLength(1);
  const orderId = found.orders.edges[0]!.node.id;
  expect(found.orders.edges[0]!.node.lines.map((l) => [l.lineId, l.cancellable])).toEqual([["A", 3], ["B", 1]]);

  const preview = (await send(requests[1]!.curl, expand(requests[1]!.body, { ORDER: orderId }))) as { cancellationPreview: { totals: { total: unknown }; allocation: unknown[] } };
  expect(preview.cancellationPreview.totals.total).toEqual({ amount: "194.85", currency: "USD" });

  const cancelled = (await send(requests[2]!.curl, expand(requests[2]!.body, { ORDER: orderId }))) as { cancelPartialQuantity: { status: string; refundAmount: unknown; items: unknown[] } };
  expect(cancelled.cancelPartialQuantity.refundAmount).toEqual({ amount: "194.85", currency: "USD" });
  expect(cancelled.cancelPartialQuantity.items).toEqual([{ orderLineId: "A", cancelledQuantity: 2, refundAmount: { amount: "194.85", currency: "USD" } }]);
  expect(["PROCESSING", "COMPLETED"]).toContain(cancelled.cancelPartialQuantity.status);
});
