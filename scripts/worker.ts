import { startAuditSealer } from "@/server/audit/seal-audit-log";
import { configOrExit } from "@/server/config";
import { createDb } from "@/server/db/client";
import { createAmqpPublisher } from "@/server/events/amqp-publisher";
import { describeNotificationConfig } from "@/server/notifications/config";
import { createNotifier } from "@/server/notifications/notifier";
import { startOutboxRelay } from "@/server/events/relay-outbox";
import { createPaymentProviders } from "@/server/payments/registry";
import { startWorker } from "@/server/saga/worker";

// The saga's worker process (graphile-worker on the app's PostgreSQL). A bad setting stops it here.
const config = configOrExit("Worker");
const url = config.databaseUrl;
if (!url) {
  console.error("Worker not started. Invalid configuration: DATABASE_URL is not set (the worker needs the app's database).");
  process.exit(1);
}
// Saga jobs are short transactions and loopback provider calls: beyond ~8 at once the 2-core
// machine's PostgreSQL, not the worker, is the limit. Prisma's pool serves every running job
// plus the heartbeat, the outbox relay and the audit sealer (README "Scaling").
const { concurrency } = config.worker;
const db = createDb(url, config.worker.databasePoolSize ?? concurrency + 3);
console.log(describeNotificationConfig(config.notifications));
const notifier = createNotifier(db, config.notifications);
// graphile-worker LISTENs and holds sessions: past PgBouncer it needs the server itself.
const worker = await startWorker({ db, databaseUrl: config.databaseDirectUrl ?? url, payments: createPaymentProviders(config.payments, { db }), faults: config.saga.faults, notifier, concurrency });
// Chains the audit entries that requests appended (server/audit/seal-audit-log.ts).
const sealer = startAuditSealer(db);
// The outbox relay to RabbitMQ (EVENTS_AMQP_URL; "off" keeps events in the outbox).
const relay = config.events.amqpUrl === null ? null : startOutboxRelay(db, () => createAmqpPublisher());
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
