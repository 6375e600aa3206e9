import { spawnScript } from "@/scripts/lib/worker-spawn";
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_AMQP_URL, parseConfig } from ".";

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("parseConfig accepted a bad environment");
}

describe("the configuration (read once, at start)", () => {
  it("has a default for every setting but the database, and reads numbers as numbers", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      nodeEnv: "development",
      databaseUrl: undefined,
      databasePoolSize: 10,
      submitWaitMs: 1500,
      worker: { concurrency: 8, staleAfterMs: 30_000, databasePoolSize: undefined },
      saga: { stepAttempts: 3, stepRetryBaseMs: 50, pendingPaymentTimeoutMs: 86_400_000, faults: {} },
      apiAuthFailuresPerMinute: 30,
      rateLimits: { apiKeyPerMinute: 60_000, userPerMinute: 6_000, unknownKeyPerMinute: 30, burstSeconds: 60 },
      events: { amqpUrl: DEFAULT_AMQP_URL, prefix: "" },
    });
    expect(parseConfig({ RATE_LIMIT_USER_PER_MINUTE: "120", RATE_LIMIT_BURST_SECONDS: "5" }).rateLimits).toMatchObject({ userPerMinute: 120, burstSeconds: 5 });
    expect(() => parseConfig({ RATE_LIMIT_API_KEY_PER_MINUTE: "0" })).toThrow(/RATE_LIMIT_API_KEY_PER_MINUTE/);
    const set = parseConfig({ SUBMIT_WAIT_MS: "0", WORKER_CONCURRENCY: " 12 ", EVENTS_AMQP_URL: "off", EVENTS_PREFIX: "staging.", SAGA_FAULTS: '{"failStep":{"payment":2}}', DATABASE_URL: "postgresql://u@h:5432/db", NODE_ENV: "production", PROVIDER_FAKE: "on", WAREHOUSE_FAKE: "on" });
    expect(set).toMatchObject({ submitWaitMs: 0, worker: { concurrency: 12 }, events: { amqpUrl: null, prefix: "staging." }, saga: { faults: { failStep: { payment: 2 } } }, databaseUrl: "postgresql://u@h:5432/db", nodeEnv: "production" });
    expect(parseConfig({ SUBMIT_WAIT_MS: "" }).submitWaitMs).toBe(1500);
    expect(parseConfig({ NEXTAUTH_URL: "https://orders.example.com/app", APP_URL: "http://localhost:3000" }).appOrigins).toEqual(["https://orders.example.com", "http://localhost:3000"]);
  });

  it("TRUSTED_PROXIES is a list of IP addresses (IPv4-mapped ones normalized); anything else names the variable and the bad entry", () => {
    expect(parseConfig({}).trustedProxies).toEqual([]);
    expect(parseConfig({ TRUSTED_PROXIES: " 10.0.0.1, ::ffff:10.0.0.2,2001:db8::1 " }).trustedProxies).toEqual(["10.0.0.1", "10.0.0.2", "2001:db8::1"]);
    expect(problemsOf({ TRUSTED_PROXIES: "10.0.0.1,proxy.internal" })).toEqual(['TRUSTED_PROXIES must be comma-separated IP addresses, got "proxy.internal"']);
  });

  it("SUBMIT_WAIT_MS=abc is an error that names the variable and the value, not NaN", () => {
    expect(() => parseConfig({ SUBMIT_WAIT_MS: "abc" })).toThrow(ConfigError);
    expect(() => parseConfig({ SUBMIT_WAIT_MS: "abc" })).toThrow('Invalid configuration: SUBMIT_WAIT_MS must be a whole number of milliseconds, got "abc"');
  });

  it("lists every bad variable at once, its own parsers' (payments, notifications) included", () => {
    const problems = problemsOf({
      SUBMIT_WAIT_MS: "99999",
      WORKER_CONCURRENCY: "0",
      DATABASE_POOL_SIZE: "1.5",
      DATABASE_URL: "mysql://h/db",
      EVENTS_AMQP_URL: "http://broker",
      SAGA_FAULTS: "{not json",
      NODE_ENV: "staging",
      PAYMENT_PROVIDER_TIMEOUT_MS: "-1",
      SMTP_URL: "http://mail",
      NEXTAUTH_URL: "localhost:3000",
    });
    const named = ["SUBMIT_WAIT_MS", "WORKER_CONCURRENCY", "DATABASE_POOL_SIZE", "DATABASE_URL", "EVENTS_AMQP_URL", "SAGA_FAULTS", "NODE_ENV", "PAYMENT_PROVIDER_TIMEOUT_MS", "SMTP_URL", "NEXTAUTH_URL"];
    for (const name of named) expect(problems.some((p) => p.includes(name)), name).toBe(true);
    expect(problems).toContain("SUBMIT_WAIT_MS must be between 0 and 10000 milliseconds, got 99999");
    expect(problems).toContain("WORKER_CONCURRENCY must be between 1 and 100 jobs, got 0");
  });
});

/** Runs a start-up script with `env` added and returns its exit code and output. */
function start(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawnScript(script, { ...process.env, ...env }, ["ignore", "pipe", "pipe"]);
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("start-up stops on a bad setting", () => {
  it("the worker exits 1 with a message naming SUBMIT_WAIT_MS, before it starts anything", { timeout: 90_000 }, async () => {
    const { code, output } = await start("scripts/worker.ts", { SUBMIT_WAIT_MS: "abc" });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration: SUBMIT_WAIT_MS must be a whole number of milliseconds, got "abc"');
    expect(output).not.toContain("running");
  });

  it("npm run dev's script exits 1 with the same message before it boots PostgreSQL", { timeout: 90_000 }, async () => {
    const { code, output } = await start("scripts/dev.ts", { SUBMIT_WAIT_MS: "abc", DATABASE_URL: "" });
    expect(code).toBe(1);
    expect(output).toContain("SUBMIT_WAIT_MS must be a whole number of milliseconds");
    expect(output).not.toMatch(/Database schema|Serving on/);
  });
});
