import type { ResilienceConfig } from "./resilience";

/*
 * The warehouse (Manhattan Active WM, SPEC §11). WAREHOUSE_URL, WAREHOUSE_API_KEY and
 * WAREHOUSE_WEBHOOK_SECRET name the real system; without them, outside production, the app talks
 * to the warehouse fake that `npm run dev` and `npm test` start on loopback (fakes/warehouse/).
 * Production never falls back to the fake unless WAREHOUSE_FAKE=on says it is meant.
 */

export interface WarehouseConfig {
  mode: "real" | "fake";
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` on every call. */
  apiKey: string;
  /** The HMAC-SHA256 key of the warehouse's signed callbacks to /api/webhooks/warehouse. */
  webhookSecret: string;
  resilience: ResilienceConfig;
  /** SPEC §11: no answer within this long counts as refused (WAREHOUSE_CONFIRM_TIMEOUT, default 4 h). */
  confirmTimeoutMs: number;
  /** Consume answers from `wm.fulfillment.updates` (WAREHOUSE_AMQP=off: callbacks only). */
  consumeUpdates: boolean;
  /** Minutes between reconciliations against GET /wm/inventory/status (0: never). */
  reconcileEveryMinutes: number;
}

/** The fake's settings when none are given (fakes/warehouse/ uses the same ones by default). */
export const WAREHOUSE_FAKE_DEFAULTS = {
  port: 4120,
  url: "http://127.0.0.1:4120",
  apiKey: "wm-fake-api-key",
  webhookSecret: "wm-fake-webhook-secret",
} as const;

/** Queue names of the seed (3.3); EVENTS_PREFIX gives a test run names of its own. */
export function warehouseQueues(prefix = "") {
  return { adjustments: `${prefix}wm.inventory.adjustments`, updates: `${prefix}wm.fulfillment.updates` };
}

type Env = Record<string, string | undefined>;

const REAL = ["WAREHOUSE_URL", "WAREHOUSE_API_KEY", "WAREHOUSE_WEBHOOK_SECRET"] as const;

export function loadWarehouseConfig(env: Env): WarehouseConfig {
  const present = REAL.filter((name) => env[name]);
  // A real warehouse needs all three. WAREHOUSE_URL alone names a warehouse fake (its default credentials).
  if (present.length > 0 && present.length < REAL.length && !(present.length === 1 && present[0] === "WAREHOUSE_URL")) {
    throw new Error(`Warehouse configuration: ${present.join(", ")} set but ${REAL.filter((n) => !env[n]).join(", ")} missing`);
  }
  const real = present.length === REAL.length;
  if (!real && env.NODE_ENV === "production" && env.WAREHOUSE_FAKE !== "on") {
    throw new Error(
      "Warehouse configuration: NODE_ENV=production and no WAREHOUSE_URL, WAREHOUSE_API_KEY, WAREHOUSE_WEBHOOK_SECRET. " +
        "Production never falls back to the warehouse fake: set them, or set WAREHOUSE_FAKE=on to use the fake on purpose.",
    );
  }
  const url = (env.WAREHOUSE_URL || WAREHOUSE_FAKE_DEFAULTS.url).replace(/\/+$/, "");
  try {
    if (!["http:", "https:"].includes(new URL(url).protocol)) throw new Error();
  } catch {
    throw new Error(`Warehouse configuration: WAREHOUSE_URL="${env.WAREHOUSE_URL}" must be a URL starting with http:// or https://`);
  }
  return {
    mode: real ? "real" : "fake",
    baseUrl: url,
    apiKey: env.WAREHOUSE_API_KEY || WAREHOUSE_FAKE_DEFAULTS.apiKey,
    webhookSecret: env.WAREHOUSE_WEBHOOK_SECRET || WAREHOUSE_FAKE_DEFAULTS.webhookSecret,
    resilience: {
      timeoutMs: int(env, "WAREHOUSE_TIMEOUT_MS", 5_000),
      attempts: int(env, "WAREHOUSE_ATTEMPTS", 3),
      baseDelayMs: int(env, "WAREHOUSE_RETRY_BASE_MS", 100),
      maxDelayMs: int(env, "WAREHOUSE_RETRY_MAX_MS", 2_000),
      breakerThreshold: int(env, "WAREHOUSE_BREAKER_THRESHOLD", 5),
      halfOpenAfterMs: int(env, "WAREHOUSE_BREAKER_HALF_OPEN_MS", 30_000),
    },
    confirmTimeoutMs: duration(env, "WAREHOUSE_CONFIRM_TIMEOUT", 4 * 3_600_000),
    consumeUpdates: env.WAREHOUSE_AMQP !== "off",
    reconcileEveryMinutes: int(env, "WAREHOUSE_RECONCILE_MINUTES", 60),
  };
}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new Error(`Warehouse configuration: ${name}="${env[name]}" is not a non-negative whole number`);
  return Number(raw);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "4h", "30m", "90s", "1500ms", or a plain number of milliseconds. */
function duration(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const m = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(raw);
  const value = m ? Number(m[1]) * UNIT_MS[m[2] ?? "ms"]! : NaN;
  if (!Number.isSafeInteger(value) || value < 1_000) {
    throw new Error(`Warehouse configuration: ${name}="${env[name]}" must be a duration of at least one second such as 4h, 30m, 90s or 1500ms`);
  }
  return value;
}
