import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { runMigrations } from "graphile-worker";
import { migrate } from "@/server/db/migrate";
import { createDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { FAKE_DEFAULTS } from "@/server/config/payment-fake-defaults";
import { startProviderFake, type ProviderFake } from "@/fakes/payments/server";
import { seed } from "@/prisma/seed";
import { startWarehouseFake, type WarehouseFake } from "@/fakes/warehouse/server";
import { startDatabase, type DatabaseHandle } from "./database";
import type { MailDevHandle } from "./maildev";
import { spawnWorkerProcess } from "./worker-spawn";

export interface Stack {
  database: DatabaseHandle;
  fake: ProviderFake | null;
  warehouse: WarehouseFake | null;
  mail: MailDevHandle | null;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Applies our migrations and graphile-worker's own schema. */
export async function prepareDatabase(url: string, log: (l: string) => void = () => {}) {
  const applied = await migrate(url, log);
  await runMigrations({ connectionString: url, logger: undefined });
  return applied;
}

/**
 * What the app needs before Next starts: a migrated, seeded PostgreSQL
 * (embedded unless DATABASE_URL is set) and, unless real provider
 * credentials are configured, the payment provider fake on loopback.
 * Shared by `npm run dev`, `npm start` and `npm test`.
 */
export async function startStack(opts: {
  dbName: string;
  appUrl: string;
  dbPort?: number;
  dbDirName?: string;
  fakePort?: number;
  seed?: boolean;
  log?: (l: string) => void;
}): Promise<Stack> {
  const log = opts.log ?? console.log;
  const database = await startDatabase({ name: opts.dbName, port: opts.dbPort, dirName: opts.dbDirName, log });
  const applied = await prepareDatabase(database.url, log);
  if (!applied.length) log("Database schema is up to date.");
  if (opts.seed !== false) {
    const db = createDb(database.url, 2);
    try {
      await seed(db, log);
    } finally {
      await db.$disconnect();
    }
  }
  const env: Record<string, string> = { DATABASE_URL: database.url };
  let fake: ProviderFake | null = null;
  if (process.env.PROVIDER_FAKE !== "off") {
    const port = opts.fakePort ?? Number(process.env.PROVIDER_FAKE_PORT ?? FAKE_DEFAULTS.port);
    fake = await startProviderFake({ port, adyenPort: port + 1, webhookBaseUrl: opts.appUrl });
    await registerExistingTenders(database.url, fake);
    env.PROVIDER_FAKE_URL = fake.url;
    env.PROVIDER_FAKE_ADYEN_URL = fake.adyenUrl;
    // Said explicitly, so that a production start (NODE_ENV=production) accepts the fake it started.
    env.PROVIDER_FAKE = "on";
    log(`Payment provider fake: Stripe + PayPal on ${fake.url}, Adyen on ${fake.adyenUrl} (set real credentials to use the providers; see README).`);
  }
  const warehouse = await startWarehouseFakeFor(env, opts.appUrl, log, database.url);
  const mail = await startDevInbox(env, log);
  return {
    database,
    fake,
    warehouse,
    mail,
    env,
    stop: async () => {
      await mail?.close();
      await warehouse?.stop();
      await fake?.stop();
      await database.stop();
    },
  };
}

/**
 * Unless a real warehouse is configured (WAREHOUSE_API_KEY) or WAREHOUSE_FAKE=off, the warehouse
 * fake on loopback (fakes/warehouse/, port WAREHOUSE_FAKE_PORT or 4120): it answers by signed
 * callback to the app and on wm.fulfillment.updates. With `databaseUrl`, it learns the released
 * units of the orders already there. Shared by `npm run dev`, `npm start` and `npm test`.
 */
export async function startWarehouseFakeFor(env: Record<string, string>, appUrl: string, log: (l: string) => void, databaseUrl?: string, port?: number): Promise<WarehouseFake | null> {
  if (process.env.WAREHOUSE_FAKE === "off" || process.env.WAREHOUSE_API_KEY) return null;
  const warehouse = await startWarehouseFake({
    port: port ?? Number(process.env.WAREHOUSE_FAKE_PORT ?? 4120),
    callbackBaseUrl: appUrl,
    amqpUrl: process.env.EVENTS_AMQP_URL === "off" ? undefined : (process.env.EVENTS_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672"),
    queuePrefix: process.env.EVENTS_PREFIX ?? "",
    delivery: process.env.EVENTS_AMQP_URL === "off" ? "callback" : "both",
    answerDelayMs: Number(process.env.WAREHOUSE_FAKE_ANSWER_DELAY_MS ?? 1_500),
  });
  if (databaseUrl) {
    const db = createDb(databaseUrl, 2);
    try {
      const lines = numbered(await db.orderLine.findMany({ where: { released: { gt: 0 } }, select: { orderId: true, lineId: true, sku: true, locationId: true, released: true } }));
      for (const l of lines) warehouse.state.setLine(l);
    } finally {
      await db.$disconnect();
    }
  }
  env.WAREHOUSE_URL = warehouse.url;
  // Said explicitly, so that a production start (NODE_ENV=production) accepts the fake it started.
  env.WAREHOUSE_FAKE = "on";
  log(`Warehouse fake (Manhattan Active WM): ${warehouse.url}, answering to ${appUrl}/api/webhooks/warehouse${warehouse.settings.amqpUrl ? " and on wm.fulfillment.updates" : ""} (control API: ${warehouse.url}/__control/…; see README).`);
  return warehouse;
}

/**
 * Without SMTP_URL, MailDev on loopback catches every email (SMTP 1025, inbox
 * and REST API on 1080, or free ports when those are taken) and the worker
 * sends there. MAILDEV=off, or an install without dev dependencies, leaves
 * email off. Shared by `npm run dev`, `npm start` and `npm test`.
 */
export async function startDevInbox(env: Record<string, string>, log: (l: string) => void): Promise<MailDevHandle | null> {
  if (process.env.SMTP_URL) {
    log(`Email goes to ${new URL(process.env.SMTP_URL).host} (SMTP_URL).`);
    return null;
  }
  if (process.env.MAILDEV === "off") return null;
  let startMailDev: typeof import("./maildev").startMailDev;
  try {
    ({ startMailDev } = await import("./maildev"));
  } catch {
    log("MailDev is not installed (dev dependencies omitted) and SMTP_URL is not set: notifications are off.");
    return null;
  }
  const mail = await startMailDev({ smtpPort: Number(process.env.MAILDEV_SMTP_PORT ?? 1025), webPort: Number(process.env.MAILDEV_WEB_PORT ?? 1080) });
  env.SMTP_URL = mail.smtpUrl;
  env.MAILDEV_URL = mail.webUrl;
  log(`MailDev catches every email: inbox ${mail.webUrl} (REST ${mail.webUrl}/api/email), SMTP ${mail.smtpUrl}.`);
  return mail;
}

/**
 * The fake keeps its state in memory: after a restart it learns the card and
 * PayPal tenders of the orders already in the database again, with what is
 * left of each authorization and capture.
 */
async function registerExistingTenders(url: string, fake: ProviderFake) {
  const db = createDb(url, 2);
  try {
    const tenders = numbered(await db.tender.findMany({ where: { provider: { not: "internal" } }, include: { order: { select: { currency: true } } } }));
    for (const t of tenders) {
      if (fake.state.find(t.provider as "stripe" | "paypal" | "adyen", t.providerReference)) continue;
      fake.state.register({
        provider: t.provider as "stripe" | "paypal" | "adyen",
        reference: t.providerReference,
        currency: t.order.currency,
        authorized: t.authorized - t.reversed,
        captured: t.captured - t.refunded,
      });
    }
  } finally {
    await db.$disconnect();
  }
}

export function run(cmd: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
}

export function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * The saga worker, with our environment plus `env` (a variable set to undefined is left out) and our
 * output unless `stdio` says otherwise; SIGTERM runs its shutdown (scripts/lib/worker-spawn.ts).
 */
export function startWorkerProcess(env: Record<string, string | undefined>, stdio: StdioOptions = "inherit"): ChildProcess {
  return spawnWorkerProcess({ ...process.env, ...env }, stdio);
}
