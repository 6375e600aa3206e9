import { startAuditSealer } from "@/server/audit/seal-audit-log";
import { createDb } from "@/server/db/client";
import { createAmqpPublisher } from "@/server/events/amqp-publisher";
import { describeNotificationConfig, loadNotificationConfig } from "@/server/notifications/config";
import { createNotifier } from "@/server/notifications/notifier";
import { startOutboxRelay } from "@/server/events/relay-outbox";
import { createPaymentProviders, loadPaymentConfig } from "@/server/payments/registry";
import { faultsFromEnv } from "@/server/saga/faults";
import { startWorker } from "@/server/saga/worker";

// The saga's worker process (graphile-worker on the app's PostgreSQL).
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const config = paymentConfigOrExit();
// Saga jobs are short transactions and loopback provider calls: beyond ~8 at once the 2-core
// machine's PostgreSQL, not the worker, is the limit. Prisma's pool serves every running job
// plus the heartbeat, the outbox relay and the audit sealer (README "Scaling").
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 8);
const db = createDb(url, Number(process.env.WORKER_DATABASE_POOL_SIZE ?? concurrency + 3));
const notifications = loadNotificationConfig(process.env);
console.log(describeNotificationConfig(notifications));
const notifier = createNotifier(db, notifications);
// graphile-worker LISTENs and holds sessions: past PgBouncer it needs the server itself.
const worker = await startWorker({ db, databaseUrl: process.env.DATABASE_DIRECT_URL || url, payments: createPaymentProviders(config, { db }), faults: faultsFromEnv(), notifier, concurrency });
// Chains the audit entries that requests appended (server/audit/seal-audit-log.ts).
const sealer = startAuditSealer(db);
// The outbox relay to RabbitMQ (EVENTS_AMQP_URL; "off" keeps events in the outbox).
const relay = process.env.EVENTS_AMQP_URL === "off" ? null : startOutboxRelay(db, () => createAmqpPublisher());
console.log(`Worker ${process.pid} running${relay ? ", relaying events to RabbitMQ" : ""}`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await relay?.stop();
  await worker.stop();
  await sealer.stop();
  notifier.mailer?.close();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

function paymentConfigOrExit() {
  try {
    return loadPaymentConfig(process.env);
  } catch (error) {
    console.error(`Worker not started. ${(error as Error).message}`);
    process.exit(1);
  }
}
