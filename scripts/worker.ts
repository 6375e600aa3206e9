import { createDb } from "@/server/db/client";
import { createPaymentProviders, loadPaymentConfig } from "@/server/payments/registry";
import { faultsFromEnv } from "@/server/saga/faults";
import { startWorker } from "@/server/saga/worker";

// The saga's worker process (graphile-worker on the app's PostgreSQL).
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const db = createDb(url, 5);
const worker = await startWorker({ db, databaseUrl: url, payments: createPaymentProviders(loadPaymentConfig(process.env)), faults: faultsFromEnv() });
console.log(`Worker ${process.pid} running`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
