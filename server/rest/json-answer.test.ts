import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
// Next's own compression middleware, as its router server runs it before every answer.
// @ts-expect-error next's compiled copy of `compression` ships no types
import compression from "next/dist/compiled/compression";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonAnswer } from "./handler";

// Serves `answer` through the compression middleware the way Next writes a route handler's Response.
let server: http.Server;
let base = "";
let answer: Response;

beforeAll(async () => {
  const compress = (compression as () => (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void)();
  server = http.createServer((req, res) => {
    compress(req, res, () => {});
    res.statusCode = answer.status;
    answer.headers.forEach((value, name) => res.setHeader(name, value));
    Readable.fromWeb(answer.body! as import("node:stream/web").ReadableStream).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function fetchGzip(body: unknown) {
  answer = jsonAnswer(body, { status: 200, headers: { "ratelimit-limit": "10" } });
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(base, { headers: { "accept-encoding": "gzip" } }, resolve).on("error", reject));
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = response.headers["content-encoding"] ?? "identity";
  return { encoding, headers: response.headers, json: JSON.parse((encoding === "gzip" ? gunzipSync(raw) : raw).toString("utf8")) as unknown };
}

describe("jsonAnswer", () => {
  it("a small answer (a preview's few kB) goes out uncompressed, even to a client that accepts gzip", async () => {
    const body = { orderId: "o", lines: Array.from({ length: 40 }, (_, i) => ({ orderLineId: String(i), subtotal: "10.00", total: "10.00" })) };
    expect(JSON.stringify(body).length).toBeGreaterThan(1024); // above the middleware's own 1 kB threshold
    const got = await fetchGzip(body);
    expect(got.encoding).toBe("identity");
    expect(got.json).toEqual(body);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["ratelimit-limit"]).toBe("10");
  });

  it("a large answer (a long list) is still compressed", async () => {
    const body = { items: Array.from({ length: 400 }, (_, i) => ({ id: `order-${i}`, status: "open" })) };
    const got = await fetchGzip(body);
    expect(got.encoding).toBe("gzip");
    expect(got.json).toEqual(body);
    expect(got.headers["cache-control"]).toBeUndefined();
  });
});
