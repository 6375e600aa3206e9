import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The project's own eslint.config.mjs on snippets placed at a path: each layer rule must fire where
// it says, so a typo in a glob or pattern cannot turn it into a silent no-op.
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const uses = (from: string) => `import { x } from "${from}";\nexport const y = x;\n`;

describe("the layer rules of eslint.config.mjs", () => {
  it.each([
    ["server/orders/probe.ts", "@/fakes/payments/server"],
    ["server/payments/probe.ts", "../../fakes/payments/register-tenders"],
    ["app/api/v1/probe/route.ts", "@/fakes/payments/server"],
    ["components/probe.tsx", "@/fakes/warehouse/server"],
    ["proxy.ts", "./fakes/payments/server"],
  ])("%s may not import the fake %s", async (file, from) => {
    expect(await restrictedImports(file, uses(from))).toEqual([expect.stringContaining("Production code never imports a fake")]);
  });

  it("tests, test support and start-up may use the fakes", async () => {
    expect(await restrictedImports("server/payments/probe.test.ts", uses("@/fakes/payments/server"))).toEqual([]);
    expect(await restrictedImports("server/payments/test-support.ts", uses("@/fakes/payments/server"))).toEqual([]);
    expect(await restrictedImports("instrumentation.ts", uses("./fakes/payments/register-tenders"))).toEqual([]);
    expect(await restrictedImports("scripts/probe.ts", uses("@/fakes/payments/server"))).toEqual([]);
  });

  it.each([
    ["server/domain/probe.ts", "@/server/db/client"],
    ["server/domain/probe.ts", "../db/client"],
    ["server/domain/probe.ts", "@prisma/client"],
    ["server/domain/probe.ts", "node:crypto"],
    ["server/domain/probe.ts", "next/server"],
  ])("%s (the domain) may not import %s", async (file, from) => {
    expect(await restrictedImports(file, uses(from))).toEqual([expect.stringContaining("The domain is pure")]);
  });

  it("the domain may import itself", async () => {
    expect(await restrictedImports("server/domain/probe.ts", uses("./money"))).toEqual([]);
  });

  it.each([
    ["server/rest/probe.ts", "@/server/api/error-mapping"],
    ["server/embed/probe.ts", "@/server/api/trpc"],
    ["server/http/probe.ts", "@trpc/server"],
    ["app/api/v1/orders/probe.ts", "@/server/api/root"],
    ["app/api/embed/clients/probe.ts", "@/server/api/error-mapping"],
    ["app/api/webhooks/stripe/probe.ts", "@/server/api/error-mapping"],
  ])("%s (REST, embed, webhooks) may not import tRPC: %s", async (file, from) => {
    expect(await restrictedImports(file, uses(from))).toEqual([expect.stringContaining("do not import tRPC")]);
  });

  it.each([
    ["app/api/webhooks/adyen/route.ts", "@/server/config"],
    ["app/api/webhooks/stripe/route.ts", "@/server/payments/webhooks"],
    ["app/api/webhooks/warehouse/route.ts", "@/server/inventory/webhook-signature"],
    ["app/api/webhooks/paypal/route.ts", "@/server/http/request-body"],
  ])("%s (a webhook route) parses nothing itself: may not import %s", async (file, from) => {
    expect(await restrictedImports(file, uses(from))).toEqual([expect.stringContaining("A webhook route only hands the request to one use-case")]);
  });

  it("a webhook route may hand the request to its use-case", async () => {
    expect(await restrictedImports("app/api/webhooks/adyen/route.ts", `${uses("@/server/payments/webhook-items")}import { w } from "@/server/rest/webhook-handler";\nexport const v = w;\n`)).toEqual([]);
  });

  it("the REST adapter may use server/http and the use-cases", async () => {
    expect(await restrictedImports("server/rest/probe.ts", `${uses("@/server/http/errors")}import { z } from "@/server/orders/import-order";\nexport const w = z;\n`)).toEqual([]);
  });

  it.each([
    ["server/cancellations/probe.ts", "@/server/saga/run-saga"],
    ["server/cancellations/probe.ts", "../saga/saga-context"],
  ])("%s may not import the saga: %s", async (file, from) => {
    expect(await restrictedImports(file, uses(from))).toEqual([expect.stringContaining("does not import the saga")]);
  });

  it("server/auth may not import server/embed, which builds on it", async () => {
    expect(await restrictedImports("server/auth/probe.ts", uses("@/server/embed/exchange-embed-token"))).toEqual([expect.stringContaining("server/auth does not import server/embed")]);
    expect(await restrictedImports("server/embed/probe.ts", uses("@/server/auth/embed-session"))).toEqual([]);
  });

  it("the saga may import the cancellation module", async () => {
    expect(await restrictedImports("server/saga/probe.ts", uses("@/server/cancellations/timeline"))).toEqual([]);
  });

  it.each([
    ["server/config/probe.ts", "@/server/payments/resilience", "server/config is a lower layer"],
    ["server/config/probe.ts", "@/server/saga/faults", "server/config is a lower layer"],
    ["server/observability/probe.ts", "@/server/payments/port", "server/observability is a lower layer"],
    ["server/observability/probe.ts", "@/server/db/client", "server/observability is a lower layer"],
    ["server/db/probe.ts", "@/server/jobs/queue", "server/db is a lower layer"],
    ["server/jobs/probe.ts", "@/server/cancellations/saga-queue", "server/jobs is a lower layer"],
    ["server/events/probe.ts", "@/server/notifications/customer-message", "server/events is a lower layer"],
    ["server/notifications/probe.ts", "@/server/saga/run-saga", "Notifications do not import the saga"],
    ["server/inventory/probe.ts", "@/server/saga/saga-context", "Inventory does not import the saga"],
    ["server/saga/probe.ts", "@/server/rest/rate-limit", "The saga does not import the REST adapter"],
    ["server/orders/probe.ts", "@/server/cancellations/business-rules", "Orders do not import the cancellation module"],
    ["server/saga/probe.ts", "@/server/worker/worker", "only scripts/ and tests import it"],
    ["server/rest/probe.ts", "@/server/worker/state-gauges", "only scripts/ and tests import it"],
  ])("%s may not import %s (a cycle broken in issue 12 point 9)", async (file, from, message) => {
    expect(await restrictedImports(file, uses(from))).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ["server/config/probe.ts", "@/server/config/payments"],
    ["server/observability/probe.ts", "@/server/config"],
    ["server/db/probe.ts", "@/server/observability/logger"],
    ["server/jobs/probe.ts", "@/server/db/client"],
    ["server/events/probe.ts", "@/server/jobs/queue"],
    ["server/notifications/probe.ts", "@/server/jobs/queue"],
    ["server/inventory/probe.ts", "@/server/cancellations/saga-queue"],
    ["server/saga/probe.ts", "@/server/notifications/ops-alerts"],
    ["server/worker/probe.ts", "@/server/saga/run-saga"],
    ["scripts/probe.ts", "@/server/worker/worker"],
  ])("%s may import %s (downwards)", async (file, from) => {
    expect(await restrictedImports(file, uses(from))).toEqual([]);
  });

  it.each([
    ["server/orders/probe.ts", "@/components/orders/order-detail"],
    ["server/rest/probe.ts", "@/app/api/v1/orders/route"],
  ])("%s may not import the UI or routes: %s", async (file, from) => {
    expect(await restrictedImports(file, uses(from))).toEqual([expect.stringContaining("server/ never imports app/ or components/")]);
  });
});
