import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { warehouseQueues } from "@/server/config/warehouse";
import { until } from "@/test/support/until";
import { startWarehouseFake, type WarehouseFake } from "./server";

// The warehouse fake in a process that does not trace (as `npm run dev` and the e2e run start it):
// the answer to a request goes back with the request's traceparent/tracestate, in the callback's
// headers and in the queue message's headers, so that the app's span of the answer continues it.
const url = process.env.EVENTS_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const prefix = `test.${randomBytes(4).toString("hex")}.`;
const callbacks: http.IncomingHttpHeaders[] = [];
let receiver: http.Server;
let fake: WarehouseFake;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    callbacks.push(req.headers);
    req.resume().on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  fake = await startWarehouseFake({ port: 0, callbackBaseUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, amqpUrl: url, queuePrefix: prefix, delivery: "both", answerDelayMs: 10 });
});
afterAll(async () => {
  await fake?.stop();
  const connection = await amqp.connect(url);
  await (await connection.createChannel()).deleteQueue(warehouseQueues(prefix).updates);
  await connection.close();
  receiver?.close();
});

it("answers in the trace of the request: the callback and the message carry its traceparent and tracestate; a request without one is answered without", async () => {
  const traceparent = `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
  const ask = (headers: Record<string, string>) =>
    fetch(`${fake.url}/wm/inventory/unreserve`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.settings.apiKey}`, "content-type": "application/json", ...headers },
      body: JSON.stringify({ requestId: randomUUID(), orderId: randomUUID(), lines: [{ lineId: "1", sku: "SKU-1", locationId: "DC-WEST", quantity: 1 }] }),
    });
  expect((await ask({ traceparent, tracestate: "wm=1" })).status).toBe(202);
  await until("the callback", async () => callbacks.length === 1);
  expect(callbacks[0]).toMatchObject({ traceparent, tracestate: "wm=1" });
  expect((await ask({})).status).toBe(202);
  await until("the second callback", async () => callbacks.length === 2);
  expect(callbacks[1]).not.toHaveProperty("traceparent");

  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const queue = warehouseQueues(prefix).updates;
    const first = await until("the first message", async () => (await channel.get(queue, { noAck: true })) || undefined);
    const second = await until("the second message", async () => (await channel.get(queue, { noAck: true })) || undefined);
    expect(first.properties.headers).toMatchObject({ traceparent, tracestate: "wm=1" });
    expect(second.properties.headers ?? {}).not.toHaveProperty("traceparent");
  } finally {
    await connection.close();
  }
});
