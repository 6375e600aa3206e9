/*
 * The order search on N orders (default 100,000, two lines and one card each): seeds a scratch
 * database (created here, dropped at the end), then prints the time of searchOrders (the page of
 * 20 and its count, median of RUNS) for each kind of text an agent types, for an admin (every
 * store) and for a store manager (two of twenty stores). Usage: npm run bench:search [-- --orders=N]
 */
import { createDb } from "@/server/db/client";
import { searchOrders } from "@/server/orders/search-orders";
import { benchActor as actor, medianMs, numberArg, scratchDatabase } from "./lib/scratch-database";

const ORDERS = numberArg("orders", 100_000);
const RUNS = numberArg("runs", 5);

const scratch = await scratchDatabase("search_bench");
const seconds = await scratch.seed(`
  INSERT INTO stores (id, name) SELECT 'BENCH-' || lpad(s::text, 2, '0'), 'Bench store ' || s FROM generate_series(1, 20) s;
  INSERT INTO orders (id, channel, external_id, store_id, customer_id, customer_name, customer_email, currency, total, created_at, updated_at)
    SELECT gen_random_uuid(), (ARRAY['web','mobile','pos','crm','marketplace'])[1 + i % 5], 'WEB-' || (100000 + i), 'BENCH-' || lpad((1 + i % 20)::text, 2, '0'),
           'CUST-' || (i % 30000), (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald'])[1 + i % 6] || ' Customer' || (i % 30000), 'c' || (i % 30000) || '@bench.example',
           'USD', 100000, now() - interval '1 minute' * i, now()
      FROM generate_series(1, ${ORDERS}) i;
  INSERT INTO order_lines (id, order_id, line_id, position, sku, description, quantity, unit_price, location_id)
    SELECT gen_random_uuid(), o.id, l::text, l, 'SKU-' || (abs(hashtext(o.external_id || l)) % 5000), 'Product ' || (abs(hashtext(o.external_id || l)) % 5000) || ' in blue', 2, 10000, 'DC-EAST'
      FROM orders o CROSS JOIN generate_series(1, 2) l;
  INSERT INTO tenders (id, order_id, tender_id, position, method, provider, provider_reference, authorized, brand, last4)
    SELECT gen_random_uuid(), o.id, 'T1', 0, 'card', 'stripe', 'pi_' || o.id, 100000, 'visa', lpad((abs(hashtext(o.id::text)) % 10000)::text, 4, '0') FROM orders o;
  ANALYZE;
`);
console.log(`Seeded ${ORDERS} orders in ${seconds.toFixed(1)} s.`);
const db = createDb(scratch.url, 10);
const sample = (await db.$queryRawUnsafe<{ id: string; external_id: string }[]>("SELECT id::text, external_id FROM orders ORDER BY created_at LIMIT 1 OFFSET 4321"))[0]!;
const median = (run: () => Promise<unknown>) => medianMs(RUNS, run);

const texts: [string, string][] = [
  ["no text (newest first)", ""],
  ["exact external id", sample.external_id],
  ["part of an external id", sample.external_id.slice(0, -2)],
  ["short id (8 hex digits)", sample.id.slice(0, 8)],
  ["customer email", "c4321@bench"],
  ["customer name (common word)", "grace"],
  ["SKU", "SKU-4321"],
  ["product words", "product 4321 in"],
  ["card last 4", "4321"],
  ["nothing matches", "zzzzqqq"],
];
for (const [label, who] of [
  ["admin, every store", actor("system_admin", null)],
  ["store manager, 2 of 20 stores", actor("store_manager", ["BENCH-01", "BENCH-02"])],
] as const) {
  console.log(`\n${label}:`);
  for (const [what, query] of texts) {
    let total = 0;
    const ms = await median(async () => (total = (await searchOrders({ db, actor: who }, { query: query || undefined })).total));
    console.log(`  ${what.padEnd(30)} ${ms.toFixed(1).padStart(8)} ms  (${total} found)`);
  }
  const sorted = await median(() => searchOrders({ db, actor: who }, { query: "grace", sort: "total", direction: "asc", page: 50 }));
  console.log(`  ${"'grace' by total, page 50".padEnd(30)} ${sorted.toFixed(1).padStart(8)} ms`);
}

await db.$disconnect();
await scratch.drop();
