import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/server/db/client";
import { startWorker } from "@/server/worker/worker";
import { cancellationStatus, connect, importOrder, previewUnits, submitUnits } from "@/examples/openapi-client/example-a";
import { generateClientTypes } from "@/examples/openapi-client/generate";
import { apiClient } from "./rest";
import { exampleA, type SagaHarness, startSagaHarness } from "./saga-harness";
import { startTestServer, type TestServer } from "./support/http-server";

/*
 * Issue 19 point 4: an integrator generates a typed client from the served OpenAPI document
 * (openapi-typescript + openapi-fetch); it typechecks, it refuses what the contract refuses, and
 * SPEC §3 example A runs through it against a test server to the cent.
 */

vi.mock("next-auth", async (original) => ({ ...(await original<typeof import("next-auth")>()), getServerSession: async () => null }));
vi.setConfig({ testTimeout: 120_000 });

const EXAMPLES = path.resolve(import.meta.dirname, "../examples/openapi-client");
const OUT = path.resolve(import.meta.dirname, `../.data/generated-client-${process.pid}`);
const STORE = "STORE-OAS-CLIENT";
let server: TestServer;
let h: SagaHarness;
let worker: Awaited<ReturnType<typeof startWorker>>;
let generated: string;

beforeAll(async () => {
  h = await startSagaHarness();
  server = await startTestServer();
  worker = await startWorker({ db: getDb(), databaseUrl: process.env.DATABASE_URL!, payments: h.payments, concurrency: 2, log: () => {} });
  const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as object;
  generated = await generateClientTypes(document);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await h?.stop();
  rmSync(OUT, { recursive: true, force: true });
});

describe("a client generated from /api/v1/openapi.json", () => {
  it("is the one committed in examples/openapi-client (else: npm run openapi:client)", () => {
    expect(generated).toBe(readFileSync(path.join(EXAMPLES, "openapi-v1.d.ts"), "utf8"));
  });

  it("typechecks the example client, and refuses calls the contract refuses", () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(path.join(OUT, "openapi-v1.d.ts"), generated);
    copyFileSync(path.join(EXAMPLES, "example-a.ts"), path.join(OUT, "example-a.ts"));
    // Each misuse must be a type error: an unused @ts-expect-error is itself one.
    writeFileSync(
      path.join(OUT, "misuse.ts"),
      `import { connect } from "./example-a";
const client = connect("http://127.0.0.1", "key");
const request = { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" as const };
export async function misuse() {
  // @ts-expect-error quantities are integers, not strings
  await client.POST("/api/v1/orders/{orderId}/cancel-partial/preview", { params: { path: { orderId: "o" } }, body: { ...request, quantities: ["2"] } });
  // @ts-expect-error a submit needs its Idempotency-Key header
  await client.POST("/api/v1/orders/{orderId}/cancel-partial", { params: { path: { orderId: "o" } }, body: request });
  // @ts-expect-error refundMethod is one of the contract's
  await client.POST("/api/v1/orders/{orderId}/cancel-partial/preview", { params: { path: { orderId: "o" } }, body: { ...request, refundMethod: "cash" } });
  // @ts-expect-error no such route
  await client.GET("/api/v1/refunds");
  const { data } = await client.POST("/api/v1/orders/{orderId}/cancel-partial/preview", { params: { path: { orderId: "o" } }, body: request });
  // @ts-expect-error money is a decimal string
  const cents: number = data!.totals.total;
  return cents;
}
`,
    );
    const files = ["openapi-v1.d.ts", "example-a.ts", "misuse.ts"].map((f) => path.join(OUT, f));
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: [],
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(diagnostics).toEqual([]);
    expect(program.getSourceFiles().map((f) => f.fileName)).toEqual(expect.arrayContaining([...files, expect.stringMatching(/openapi-fetch\/dist\/index\.d\.[cm]?ts$/)]));
  });

  it("runs example A: preview, submit with an Idempotency-Key, status, to the cent", async () => {
    const { key } = await apiClient({ stores: [STORE] });
    const client = connect(server.url, key);
    const orderId = await importOrder(client, exampleA(STORE));

    const preview = await previewUnits(client, orderId, { A: 2 });
    expect(preview.totals).toEqual({ subtotal: "200.00", discount: "20.00", tax: "14.85", shipping: "0.00", shippingTax: "0.00", total: "194.85" });
    expect(preview.lines).toEqual([expect.objectContaining({ orderLineId: "A", quantity: 2, subtotal: "200.00", discount: "20.00", tax: "14.85", total: "194.85" })]);
    expect(preview.allocation).toEqual([{ tenderId: "T1", operation: "reversal", amount: "194.85" }]);

    const idempotencyKey = randomUUID();
    const first = await submitUnits(client, orderId, { A: 2 }, preview.previewVersion, idempotencyKey);
    expect(first.replayed).toBe(false);
    expect(first.cancellation).toMatchObject({ orderId, refundAmount: "194.85", refundMethod: "original", totals: preview.totals, allocation: preview.allocation });
    const again = await submitUnits(client, orderId, { A: 2 }, preview.previewVersion, idempotencyKey);
    expect(again.replayed).toBe(true);
    expect(again.cancellation.cancellationId).toBe(first.cancellation.cancellationId);

    const status = await waitForCompleted(client, orderId, first.cancellation.cancellationId);
    expect(status.refundAmount).toBe("194.85");
    expect(status.refundDetails.total).toBe("194.85");
    expect(status.refundDetails.allocation.map((a) => [a.tenderId, a.operation, a.amount, a.status])).toEqual([["T1", "reversal", "194.85", "succeeded"]]);

    // The rest of example A: the last A, then B with the shipping; the three add up to what was paid.
    const lastA = await previewUnits(client, orderId, { A: 1 });
    expect(lastA.totals.total).toBe("97.43");
    const second = await submitUnits(client, orderId, { A: 1 }, lastA.previewVersion, randomUUID());
    // B takes the shipping only once no other cancellation holds units (SPEC §3): A's last one completes first.
    const secondDone = await waitForCompleted(client, orderId, second.cancellation.cancellationId);
    const b = await previewUnits(client, orderId, { B: 1 });
    expect(b.totals).toMatchObject({ shipping: "10.00", total: "58.71" });
    const third = await submitUnits(client, orderId, { B: 1 }, b.previewVersion, randomUUID());
    const statuses = [status, secondDone, await waitForCompleted(client, orderId, third.cancellation.cancellationId)];
    expect(statuses.map((s) => s.refundAmount)).toEqual(["194.85", "97.43", "58.71"]);
    const cents = statuses.flatMap((s) => s.refundDetails.allocation).reduce((sum, a) => sum + Math.round(Number(a.amount) * 100), 0);
    expect(cents).toBe(35099);
  });
});

async function waitForCompleted(client: ReturnType<typeof connect>, orderId: string, cancellationId: string) {
  for (let i = 0; i < 400; i++) {
    const status = await cancellationStatus(client, orderId, cancellationId);
    if (status.status === "completed") return status;
    expect(["processing", "completed"]).toContain(status.status);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`cancellation ${cancellationId} did not complete`);
}
