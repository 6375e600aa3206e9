import { rmSync } from "node:fs";
import path from "node:path";
import { DATA_DIR } from "./lib/database";

if (process.env.DATABASE_URL) {
  console.error("DATABASE_URL is set: drop and recreate that database yourself; nothing was removed.");
  process.exit(1);
}
rmSync(path.join(DATA_DIR, "postgres"), { recursive: true, force: true });
console.log(`Removed ${path.join(DATA_DIR, "postgres")}; the next start creates, migrates and seeds a new one.`);
