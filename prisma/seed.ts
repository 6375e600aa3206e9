import { createDb, type Db } from "@/server/db/client";
import { seedAccounts } from "@/server/dev/fixtures";
import { seedEmbedClients } from "@/server/embed/seed-embed-clients";

/** Seeds the development fixtures once; a second run changes nothing. */
export async function seed(db: Db, log: (line: string) => void = console.log) {
  if (process.env.NODE_ENV === "production" && !process.env.ALLOW_SEED) {
    log("Not seeding: NODE_ENV is production.");
    return;
  }
  await seedAccounts(db);
  log("Seeded accounts and API keys.");
  await seedEmbedClients(db);
  log(`Seeded orders: ${JSON.stringify(await (await import("@/server/dev/seed-orders")).seedOrders(db))}.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startDatabase } = await import("../scripts/lib/database");
  const { migrate } = await import("@/server/db/migrate");
  const handle = await startDatabase({ name: "partial_cancellation" });
  await migrate(handle.url);
  const db = createDb(handle.url);
  try {
    await seed(db);
  } finally {
    await db.$disconnect();
    await handle.stop();
  }
}
