import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET as live } from "@/app/api/health/live/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { reloadConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { MIGRATIONS_DIR } from "@/server/db/migrate";
import { checkReadiness, type Readiness } from "./health";

const db = getDb();
const MIGRATION = "29991231000000_not_yet_applied";

async function readiness() {
  const res = await ready(new Request("http://localhost/api/health/ready"));
  return { status: res.status, body: (await res.json()) as Readiness };
}

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  reloadConfig();
}

beforeEach(async () => {
  await db.workerHeartbeat.deleteMany({});
  setEnv({ EVENTS_AMQP_URL: "off", READY_WORKER_STALE_MS: "60000" });
});
afterEach(() => setEnv({ EVENTS_AMQP_URL: undefined, READY_WORKER_STALE_MS: undefined }));

const beat = (agoMs: number) => db.workerHeartbeat.create({ data: { workerId: `test-${randomUUID()}`, seenAt: new Date(Date.now() - agoMs) } });

describe("/api/health/live", () => {
  it("answers 200 whatever the dependencies say", async () => {
    const res = await live(new Request("http://localhost/api/health/live"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});

describe("/api/health/ready", () => {
  it("is ready when the database answers, every migration is applied and a worker reported lately (broker off)", async () => {
    await beat(1_000);
    const { status, body } = await readiness();
    expect(body.checks.database).toEqual({ ok: true });
    expect(body.checks.migrations.ok).toBe(true);
    expect(body.checks.worker).toEqual({ ok: true, detail: expect.stringMatching(/^last heartbeat \d+ s ago$/) });
    expect(body.checks.broker).toMatchObject({ ok: true, skipped: true });
    expect(body.status).toBe("ready");
    expect(status).toBe(200);
  });

  it("is not ready (503) without a worker, or when the last heartbeat is older than READY_WORKER_STALE_MS", async () => {
    const none = await readiness();
    expect(none.status).toBe(503);
    expect(none.body.checks.worker).toMatchObject({ ok: false, detail: expect.stringContaining("no worker has reported") });
    await beat(120_000);
    const stale = await readiness();
    expect(stale.status).toBe(503);
    expect(stale.body.checks.worker).toMatchObject({ ok: false, detail: expect.stringMatching(/^last heartbeat 1[12]\d s ago \(over 60 s\)$/) });
    expect(stale.body.checks.database.ok).toBe(true);
  });

  it("is not ready while a migration of the release is not applied, and names it", async () => {
    await beat(0);
    // The release's migrations plus one this database has not had (a copy: other test files read the real folder).
    const dir = mkdtempSync(path.join(tmpdir(), "pc-migrations-"));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(path.join(dir, MIGRATION));
    writeFileSync(path.join(dir, MIGRATION, "migration.sql"), "SELECT 1;\n");
    try {
      const r = await checkReadiness(db, { migrationsDir: dir });
      expect(r.status).toBe("not_ready");
      expect(r.checks.migrations).toEqual({ ok: false, detail: `not applied: ${MIGRATION} (run npm run db:migrate)` });
      expect((await checkReadiness(db, { migrationsDir: MIGRATIONS_DIR })).checks.migrations.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("checks the broker when one is configured: RabbitMQ on loopback is ready, a closed port is not", async () => {
    await beat(0);
    setEnv({ EVENTS_AMQP_URL: "amqp://guest:guest@127.0.0.1:5672" });
    const up = await readiness();
    expect(up.body.checks.broker).toEqual({ ok: true });
    expect(up.status).toBe(200);
    setEnv({ EVENTS_AMQP_URL: "amqp://guest:guest@127.0.0.1:1" });
    const down = await readiness();
    expect(down.status).toBe(503);
    expect(down.body.checks.broker).toMatchObject({ ok: false, detail: expect.stringContaining("ECONNREFUSED") });
  });

  it("a database that cannot be reached makes it not ready instead of throwing", async () => {
    const { createDb } = await import("@/server/db/client");
    const gone = createDb("postgresql://nobody:x@127.0.0.1:1/none", 1);
    try {
      const r = await checkReadiness(gone);
      expect(r.status).toBe("not_ready");
      expect(r.checks.database.ok).toBe(false);
      expect(r.checks.worker.ok).toBe(false);
    } finally {
      await gone.$disconnect();
    }
  });
});

describe("/api/health/ready for strangers", () => {
  afterEach(() => setEnv({ METRICS_TOKEN: undefined }));

  it("shows only which checks are ok unless the caller holds METRICS_TOKEN's bearer; the details stay with the operator", async () => {
    setEnv({ METRICS_TOKEN: "t0ken-for-health" });
    const stranger = await readiness();
    expect(stranger.status).toBe(503);
    expect(stranger.body.checks.worker).toEqual({ ok: false });
    expect(stranger.body.checks.broker).toEqual({ ok: true, skipped: true });
    expect(JSON.stringify(stranger.body)).not.toMatch(/heartbeat|EVENTS_AMQP_URL/);
    const operator = await ready(new Request("http://localhost/api/health/ready", { headers: { authorization: "Bearer t0ken-for-health" } }));
    const body = (await operator.json()) as Readiness;
    expect(body.checks.worker).toMatchObject({ ok: false, detail: expect.stringContaining("no worker has reported") });
  });

  it("asks the dependencies once for callers that come while a check runs", async () => {
    await beat(1_000);
    const spy = { count: 0 };
    const counting = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "$queryRaw") spy.count++;
        const value = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const { checkReadinessShared } = await import("./health");
    const answers = await Promise.all(Array.from({ length: 10 }, () => checkReadinessShared(counting)));
    expect(answers.every((a) => a.status === "ready")).toBe(true);
    expect(spy.count).toBe(2); // SELECT 1 and the migrations, once for all ten
  });
});
