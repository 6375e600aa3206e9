import { isIP } from "node:net";
import { z } from "zod";
import { loadWarehouseConfig, type WarehouseConfig } from "./warehouse";
import { loadNotificationConfig, type NotificationConfig } from "./notifications";
import { loadPaymentConfig, type PaymentConfig } from "./payments";
import type { SagaFaults } from "./saga-faults";

/*
 * The application's configuration: every environment variable the app and the worker
 * read, parsed and validated once when the process starts. A bad value stops start-up
 * with a message naming the variable, instead of becoming NaN somewhere later.
 */

export const DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672";

export interface AppConfig {
  nodeEnv: "development" | "production" | "test";
  /** Unset: getDb() says so when something needs the database. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** The server itself when DATABASE_URL is a transaction-mode pooler (LISTEN, graphile-worker). */
  databaseDirectUrl: string | undefined;
  /** Submits beyond what the pool can serve wait in a bounded queue, then get 429 (`maxInFlight` unset: pool size − 2). */
  admission: { maxInFlight: number | undefined; maxQueued: number; maxWaitMs: number };
  /** Requests of any kind inside one app process at once, and how many may wait how long for a turn (scripts/serve.ts). */
  requestAdmission: { maxInFlight: number; maxQueued: number; maxWaitMs: number };
  /** How long a submit waits for its saga before answering `processing`. */
  submitWaitMs: number;
  /** `databasePoolSize` unset: the worker sizes its pool to its concurrency. */
  worker: {
    concurrency: number;
    staleAfterMs: number;
    databasePoolSize: number | undefined;
  };
  saga: {
    stepAttempts: number;
    stepRetryBaseMs: number;
    pendingPaymentTimeoutMs: number;
    faults: SagaFaults;
  };
  apiAuthFailuresPerMinute: number;
  /** Proxies whose X-Forwarded-For entry is believed (server/auth/client-address.ts), as normalized IP addresses. */
  trustedProxies: string[];
  /**
   * Request limits (server/rest/rate-limit.ts): token buckets refilled at the per-minute rate,
   * holding `burstSeconds` of it (at least one request). An API key's own limit (admin console)
   * replaces `apiKeyPerMinute`.
   */
  rateLimits: { apiKeyPerMinute: number; userPerMinute: number; unknownKeyPerMinute: number; burstSeconds: number };
  nextAuthSecret: string | undefined;
  /** The app's own origins (NEXTAUTH_URL, APP_URL): cookie-authenticated writes must come from them or the request's host. */
  appOrigins: string[];
  embedSecretsKey: string | undefined;
  /** Set in development and tests: imported tenders are registered with the provider fake. */
  providerFakeUrl: string | undefined;
  /** `amqpUrl` null: EVENTS_AMQP_URL=off, events stay in the outbox. */
  events: { amqpUrl: string | null; prefix: string };
  payments: PaymentConfig;
  notifications: NotificationConfig;
  observability: ObservabilityConfig;
  warehouse: WarehouseConfig;
}

export interface ObservabilityConfig {
  /** Set: /api/metrics and the worker's metrics answer only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** The worker's own metrics server (GET /metrics); unset: not served. */
  workerMetricsPort: number | undefined;
  workerMetricsHost: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Human-readable log lines (pino-pretty) instead of JSON; default on in development only. */
  logPretty: boolean;
  /** OTLP/HTTP collector base URL (…/v1/traces is appended); unset: tracing is off. */
  otlpEndpoint: string | undefined;
  /** A worker heartbeat older than this makes /api/health/ready answer 503. */
  readyWorkerStaleMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** A whole number within bounds; unset or blank is the default. */
function whole<F extends number | undefined>(fallback: F, min: number, max: number, unit: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw?.trim();
      if (value === undefined || value === "") return fallback as F | number;
      if (!/^\d+$/.test(value)) {
        ctx.addIssue({
          code: "custom",
          message: `must be a whole number of ${unit}, got "${raw}"`,
        });
        return z.NEVER;
      }
      const n = Number(value);
      if (n < min || n > max) {
        ctx.addIssue({
          code: "custom",
          message: `must be between ${min} and ${max} ${unit}, got ${value}`,
        });
        return z.NEVER;
      }
      return n;
    });
}

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const urlWith = (protocols: string[]) =>
  optionalText.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
  );

// Failure injection for tests (server/config/saga-faults.ts gives its shape): here only "a JSON object".
const ZSagaFaultsSchema = z.record(z.string(), z.unknown());

const ZEnvSchema = z.object({
  NODE_ENV: optionalText.pipe(z.enum(["development", "production", "test"]).default("development")),
  DATABASE_URL: urlWith(["postgres:", "postgresql:"]),
  DATABASE_POOL_SIZE: whole(10, 1, 1000, "connections"),
  DATABASE_DIRECT_URL: urlWith(["postgres:", "postgresql:"]),
  SUBMIT_MAX_IN_FLIGHT: whole(undefined, 1, 10_000, "requests"),
  SUBMIT_MAX_QUEUED: whole(1_000, 0, 1_000_000, "requests"),
  SUBMIT_MAX_QUEUE_MS: whole(5_000, 0, 600_000, "milliseconds"),
  SUBMIT_WAIT_MS: whole(1500, 0, 10_000, "milliseconds"),
  WEB_MAX_IN_FLIGHT: whole(64, 1, 100_000, "requests"),
  WEB_MAX_QUEUED: whole(256, 0, 1_000_000, "requests"),
  WEB_MAX_QUEUE_MS: whole(2_000, 0, 600_000, "milliseconds"),
  WORKER_CONCURRENCY: whole(8, 1, 100, "jobs"),
  WORKER_DATABASE_POOL_SIZE: whole(undefined, 1, 1000, "connections"),
  WORKER_STALE_MS: whole(30_000, 100, 3_600_000, "milliseconds"),
  SAGA_STEP_ATTEMPTS: whole(3, 1, 100, "attempts"),
  SAGA_STEP_RETRY_BASE_MS: whole(50, 0, 600_000, "milliseconds"),
  PENDING_PAYMENT_TIMEOUT_MS: whole(24 * 3_600_000, 1_000, 30 * 24 * 3_600_000, "milliseconds"),
  API_AUTH_FAILURES_PER_MINUTE: whole(30, 1, 1_000_000, "failures"),
  TRUSTED_PROXIES: optionalText.transform((v, ctx) => {
    const list = (v ?? "").split(",").map((s) => s.trim()).filter(Boolean).map((s) => (s.startsWith("::ffff:") ? s.slice(7) : s));
    const bad = list.filter((s) => isIP(s) === 0);
    if (bad.length === 0) return list;
    ctx.addIssue({ code: "custom", message: `must be comma-separated IP addresses, got ${bad.map((b) => JSON.stringify(b)).join(", ")}` });
    return z.NEVER;
  }),
  RATE_LIMIT_API_KEY_PER_MINUTE: whole(60_000, 1, 100_000_000, "requests per minute"),
  RATE_LIMIT_USER_PER_MINUTE: whole(6_000, 1, 100_000_000, "requests per minute"),
  RATE_LIMIT_BURST_SECONDS: whole(60, 1, 3_600, "seconds"),
  NEXTAUTH_SECRET: optionalText,
  NEXTAUTH_URL: urlWith(["http:", "https:"]),
  APP_URL: urlWith(["http:", "https:"]),
  EMBED_SECRETS_KEY: optionalText,
  PROVIDER_FAKE_URL: urlWith(["http:", "https:"]),
  EVENTS_AMQP_URL: optionalText.refine((v) => {
    if (v === undefined || v === "off") return true;
    try {
      return ["amqp:", "amqps:"].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be "off" or a URL starting with amqp:// or amqps://'),
  EVENTS_PREFIX: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9._-]{1,100}$/.test(v), "may hold only letters, digits, '.', '_' and '-' (up to 100)"),
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, "must be at least 16 characters"),
  WORKER_METRICS_PORT: whole(undefined, 1, 65_535, "port number"),
  WORKER_METRICS_HOST: optionalText,
  LOG_LEVEL: optionalText.pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional()),
  LOG_PRETTY: optionalText.pipe(z.enum(["on", "off"]).optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: urlWith(["http:", "https:"]),
  READY_WORKER_STALE_MS: whole(undefined, 1_000, 3_600_000, "milliseconds"),
  SAGA_FAULTS: optionalText.transform((v, ctx) => {
    if (v === undefined) return {};
    try {
      const parsed = ZSagaFaultsSchema.safeParse(JSON.parse(v));
      if (parsed.success) return parsed.data as SagaFaults;
    } catch {
      // reported below
    }
    ctx.addIssue({
      code: "custom",
      message: 'must be JSON like {"failStep":{"payment":"always"},"crashAfterProviderCall":true}',
    });
    return z.NEVER;
  }),
});

/** Parses `env`; throws ConfigError listing every variable that is wrong. */
export function parseConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const parsed = ZEnvSchema.safeParse(env);
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")} ${issue.message}`);
  // The payment and notification settings have parsers of their own; their messages name the variable.
  const part = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  };
  const payments = part(() => loadPaymentConfig(env));
  const notifications = part(() => loadNotificationConfig(env));
  const warehouse = part(() => loadWarehouseConfig(env));
  if (!parsed.success || !payments || !notifications || !warehouse) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseDirectUrl: e.DATABASE_DIRECT_URL,
    admission: { maxInFlight: e.SUBMIT_MAX_IN_FLIGHT, maxQueued: e.SUBMIT_MAX_QUEUED, maxWaitMs: e.SUBMIT_MAX_QUEUE_MS },
    submitWaitMs: e.SUBMIT_WAIT_MS,
    requestAdmission: { maxInFlight: e.WEB_MAX_IN_FLIGHT, maxQueued: e.WEB_MAX_QUEUED, maxWaitMs: e.WEB_MAX_QUEUE_MS },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      staleAfterMs: e.WORKER_STALE_MS,
      databasePoolSize: e.WORKER_DATABASE_POOL_SIZE,
    },
    saga: {
      stepAttempts: e.SAGA_STEP_ATTEMPTS,
      stepRetryBaseMs: e.SAGA_STEP_RETRY_BASE_MS,
      pendingPaymentTimeoutMs: e.PENDING_PAYMENT_TIMEOUT_MS,
      faults: e.SAGA_FAULTS,
    },
    apiAuthFailuresPerMinute: e.API_AUTH_FAILURES_PER_MINUTE,
    trustedProxies: e.TRUSTED_PROXIES,
    rateLimits: {
      apiKeyPerMinute: e.RATE_LIMIT_API_KEY_PER_MINUTE,
      userPerMinute: e.RATE_LIMIT_USER_PER_MINUTE,
      unknownKeyPerMinute: e.API_AUTH_FAILURES_PER_MINUTE,
      burstSeconds: e.RATE_LIMIT_BURST_SECONDS,
    },
    nextAuthSecret: e.NEXTAUTH_SECRET,
    appOrigins: [e.NEXTAUTH_URL, e.APP_URL].filter((u): u is string => u !== undefined).map((u) => new URL(u).origin),
    embedSecretsKey: e.EMBED_SECRETS_KEY,
    providerFakeUrl: e.PROVIDER_FAKE_URL,
    events: {
      amqpUrl: e.EVENTS_AMQP_URL === "off" ? null : (e.EVENTS_AMQP_URL ?? DEFAULT_AMQP_URL),
      prefix: e.EVENTS_PREFIX ?? "",
    },
    payments,
    notifications,
    observability: {
      metricsToken: e.METRICS_TOKEN,
      workerMetricsPort: e.WORKER_METRICS_PORT,
      workerMetricsHost: e.WORKER_METRICS_HOST ?? "0.0.0.0",
      logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === "test" ? "warn" : "info"),
      logPretty: e.LOG_PRETTY ? e.LOG_PRETTY === "on" : e.NODE_ENV === "development",
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      // Twice the worker's own staleness limit: one missed beat is not an outage.
      readyWorkerStaleMs: e.READY_WORKER_STALE_MS ?? 2 * e.WORKER_STALE_MS,
    },
    warehouse,
  };
}

// One parse per process, kept on globalThis so that Next's module copies share it.
const holder = globalThis as unknown as { __pcConfig?: AppConfig };

/** The configuration, parsed from process.env on first use and kept. */
export function getConfig(): AppConfig {
  holder.__pcConfig ??= parseConfig(process.env);
  return holder.__pcConfig;
}

/**
 * Parses process.env again. For test harnesses that set variables after start (the
 * provider fake's port is known only once it listens); production code never calls it.
 */
export function reloadConfig(): AppConfig {
  holder.__pcConfig = parseConfig(process.env);
  return holder.__pcConfig;
}

/**
 * For a process's entry point: the configuration, or exit 1 with a message naming what is wrong
 * ("<process> not started. Invalid configuration: …"). `env` checks the settings a process is
 * about to hand its children (scripts/dev.ts) instead of its own.
 */
export function configOrExit(processName: string, env?: Env): AppConfig {
  try {
    return env ? parseConfig(env) : getConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${processName} not started. ${error.message}\nFix the variable(s) named above and start again.`);
    process.exit(1);
  }
}
