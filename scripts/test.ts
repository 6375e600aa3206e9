import { readFileSync, rmSync } from "node:fs";
import { createDb } from "@/server/db/client";
import { seed } from "@/prisma/seed";
import { createDatabaseIfMissing, dropOldTestDatabases, freePort, startDatabase, withDatabase } from "./lib/database";
import { startProviderFake } from "@/fakes/payments/server";
import { ensureChromium } from "./lib/chromium";
import { ensurePrometheus } from "./lib/prometheus";
import { exitCode, prepareDatabase, run, startDevInbox, startWarehouseFakeFor, startWorkerProcess } from "./lib/services";

// `npm test`: unit + integration tests (Vitest, real PostgreSQL) and end-to-end
// tests (Playwright, Debian's Chromium, a production build of the app).
// `npm run test:e2e -- e2e/orders.spec.ts` passes what follows to Playwright (or Vitest for
// `test:unit`); SKIP_NEXT_BUILD=1 reuses the last production build.
const only = process.argv[2]; // "unit" or "e2e" to run one level
const passThrough = process.argv.slice(3);
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
// Before anything else: a missing browser is reported at once, not after the unit tests.
if (only !== "unit") ensureChromium();
if (only !== "e2e") ensurePrometheus();
const server = await startDatabase({ name: "postgres", dirName: "postgres-test", port: 54330 });
await dropOldTestDatabases(server.url);

async function freshDatabase(label: string, seeded: boolean) {
  const name = `pc_${label}_${Date.now()}`;
  await createDatabaseIfMissing(server.url, name);
  const url = withDatabase(server.url, name);
  await prepareDatabase(url);
  if (seeded) {
    const db = createDb(url, 2);
    await seed(db, () => {});
    await db.$disconnect();
  }
  return url;
}

const results: { suite: string; passed: number; failed: number; code: number }[] = [];

if (only !== "e2e") {
  const url = await freshDatabase("unit", false);
  rmSync(".data/vitest.json", { force: true });
  const code = await exitCode(
    run("vitest", ["run", "--reporter=default", "--reporter=json", "--outputFile.json=.data/vitest.json", ...passThrough], { TEST_DATABASE_URL: url }),
  );
  const report = JSON.parse(readFileSync(".data/vitest.json", "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    success: boolean;
    testResults: { status: string; assertionResults: { status: string }[] }[];
  };
  // A file that does not load (a syntax error, a failing import, a failing hook) fails no test but fails its suite.
  const broken = report.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
  if (broken > 0) console.log(`vitest: ${broken} test file(s) failed to run (see above)`);
  results.push({ suite: "vitest", passed: report.numPassedTests, failed: report.numFailedTests + broken, code: report.success ? code : code || 1 });
}

if (only !== "unit") {
  const url = await freshDatabase("e2e", true);
  // Free ports, so that a running dev server or another checkout's tests do not collide.
  const appPort = await freePort(3100);
  const appUrl = `http://localhost:${appPort}`;
  const fakePort = await freePort(4110);
  const fake = await startProviderFake({ port: fakePort, adyenPort: await freePort(fakePort + 1), webhookBaseUrl: appUrl });
  const mailEnv: Record<string, string> = {};
  const mail = await startDevInbox(mailEnv, console.log);
  const warehouse = await startWarehouseFakeFor(mailEnv, appUrl, console.log, url, await freePort(4120));
  const env = {
    ...mailEnv,
    DATABASE_URL: url,
    E2E_DATABASE_URL: url,
    E2E_SKIP_BUILD: "1",
    NEXTAUTH_URL: appUrl,
    E2E_PORT: String(appPort),
    PROVIDER_FAKE_URL: fake.url,
    PROVIDER_FAKE_ADYEN_URL: fake.adyenUrl,
    // The e2e app is a production build: it may use the fake only when told so (SPEC §4, issue 11).
    PROVIDER_FAKE: "on",
  };
  const worker = startWorkerProcess(env);
  let code = process.env.SKIP_NEXT_BUILD === "1" ? 0 : await exitCode(run("next", ["build"], env));
  if (code === 0) {
    rmSync(".data/playwright.json", { force: true });
    code = await exitCode(
      run("playwright", ["test", "--reporter=list,json", ...passThrough], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: ".data/playwright.json" }),
    );
    const report = JSON.parse(readFileSync(".data/playwright.json", "utf8")) as { stats: { expected: number; unexpected: number; flaky: number }; errors?: unknown[] };
    // Errors outside any test (a spec file that does not load, a failing global setup) count as failures.
    const errors = report.errors?.length ?? 0;
    results.push({ suite: "playwright", passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected + errors, code: errors ? code || 1 : code });
  } else {
    results.push({ suite: "next build", passed: 0, failed: 1, code });
  }
  worker.kill("SIGTERM");
  await exitCode(worker);
  await fake.stop();
  await warehouse?.stop();
  await mail?.close();
}

await server.stop();
for (const r of results) console.log(`${r.suite}: ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const ok = results.every((r) => r.code === 0) && failed === 0;
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
