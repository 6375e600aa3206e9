import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/server/generated/prisma/client";

export type Db = PrismaClient;

export function createDb(url: string, poolSize = 10): Db {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  // Under load a transaction may wait for a pooled connection (and the audit chain's lock)
  // longer than Prisma's 2 s default; waiting beats failing a request that changes nothing.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 20_000 } });
}

// One client per process, kept on globalThis so that Next's dev reloads do
// not open a new pool on every edit.
const holder = globalThis as unknown as { __pcDb?: Db };

export function getDb(): Db {
  if (!holder.__pcDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm run dev` or set it");
    holder.__pcDb = createDb(url, Number(process.env.DATABASE_POOL_SIZE ?? 10));
  }
  return holder.__pcDb;
}
