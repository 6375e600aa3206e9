import type { AppConfig } from "@/server/config";
import { startAuditSealer } from "@/server/audit/seal-audit-log";
import { createDb } from "@/server/db/client";
import { createAmqpPublisher } from "@/server/events/amqp-publisher";
import { describeNotificationConfig } from "@/server/config/notifications";
import { createNotifier } from "@/server/notifications/notifier";
import { startOutboxRelay } from "@/server/events/relay-outbox";
import { createPaymentProviders } from "@/server/payments/registry";
import { startWorker } from "@/server/worker/worker";
import { metrics } from "@/server/observability/metrics";
import { startMetricsServer } from "@/server/observability/metrics-endpoint";
import { registerStateGauges } from "@/server/worker/state-gauges";
import { logger } from "@/server/observability/logger";
import { startUpdatesConsumer } from "@/server/inventory/warehouse-queues";
import type { Tracing } from "@/server/observability/tracing";

/** The worker process's services, loaded by scripts/worker.ts once tracing is on. */
export async function runWorker(config: AppConfig, tracing: Tracing | null): Promise<void> {
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
  logger().info(describeNotificationConfig(config.notifications));
  const notifier = createNotifier(db, config.notifications);
  // graphile-worker LISTENs and holds sessions: past PgBouncer it needs the server itself.
  const worker = await startWorker({ db, databaseUrl: config.databaseDirectUrl ?? url, payments: createPaymentProviders(config.payments, { db }), faults: config.saga.faults, notifier, concurrency });
  // Chains the audit entries that requests appended (server/audit/seal-audit-log.ts).
  const sealer = startAuditSealer(db);
  // The outbox relay to RabbitMQ (EVENTS_AMQP_URL; "off" keeps events in the outbox).
  const relay = config.events.amqpUrl === null ? null : startOutboxRelay(db, () => createAmqpPublisher());
  // The worker's metrics (saga, providers, notifications) and the database's queues, for Prometheus.
  const { workerMetricsPort, workerMetricsHost, metricsToken } = config.observability;
  registerStateGauges(metrics().registry, db);
  const metricsServer = workerMetricsPort ? await startMetricsServer({ port: workerMetricsPort, host: workerMetricsHost, token: metricsToken }) : null;
  // The warehouse's answers on wm.fulfillment.updates (its signed callbacks go to the app).
  const updates = config.events.amqpUrl !== null && config.warehouse.consumeUpdates ? startUpdatesConsumer(db, config.events.amqpUrl, config.events.prefix) : null;
  logger().info({ relay: !!relay, metricsPort: workerMetricsPort ?? null }, "worker started");

  let stopping = false;
  async function shutdown() {
    if (stopping) return;
    stopping = true;
    metricsServer?.close();
    await relay?.stop();
    await updates?.stop();
    await worker.stop();
    await sealer.stop();
    notifier.mailer?.close();
    await db.$disconnect();
    await tracing?.shutdown();
    // For people and for the tests that check a SIGTERM ran this shutdown, not the default action.
    console.log(`Worker ${process.pid} stopped`);
    process.exit(0);
  }
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  // The start-up banner, for people and for the tests that wait for it. Only once the handlers are
  // on: until then a SIGTERM takes Node's default action and ends the worker without its shutdown.
  console.log(`Worker ${process.pid} running${relay ? ", relaying events to RabbitMQ" : ""}${updates ? ", reading wm.fulfillment.updates" : ""}; warehouse at ${config.warehouse.baseUrl} (${config.warehouse.mode})`);
}
