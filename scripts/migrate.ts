import { migrate } from "@/server/db/migrate";
import { startDatabase } from "./lib/database";

const db = await startDatabase({ name: "partial_cancellation" });
try {
  const applied = await migrate(db.url, console.log);
  console.log(applied.length ? `Applied ${applied.length} migration(s).` : "Database is up to date.");
} finally {
  await db.stop();
}
