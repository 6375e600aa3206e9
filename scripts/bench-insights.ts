/*
 * The Insights queries on 100,000 cancellations: seeds a scratch database (created here, dropped
 * at the end) with orders, lines, cancellations, items and approvals spread over 90 days, then
 * prints each query's time (median of RUNS) for an admin (every store) and for a store manager
 * (two stores), and the whole page's time. Usage: npm run bench:insights [-- --cancellations=N]
 */
import { createDb } from "@/server/db/client";
import { getInsights, insightsScopeFor } from "@/server/insights/get-insights";
import * as q from "@/server/insights/insights-queries";
import { benchActor as actor, medianMs, numberArg, scratchDatabase } from "./lib/scratch-database";

const CANCELLATIONS = numberArg("cancellations", 100_000);
const ORDERS = Math.ceil(CANCELLATIONS * 0.6);
const RUNS = numberArg("runs", 5);

const scratch = await scratchDatabase("insights_bench");
let seconds = await scratch.seed(`
  INSERT INTO stores (id, name) SELECT 'BENCH-' || lpad(s::text, 2, '0'), 'Bench store ' || s FROM generate_series(1, 20) s;
  INSERT INTO users (id, email, name, role, password_hash)
    SELECT gen_random_uuid(), 'agent' || a || '@bench.example', 'Bench Agent ' || a, 'customer_service_agent', 'x' FROM generate_series(1, 50) a;
  INSERT INTO orders (id, channel, external_id, store_id, customer_id, customer_name, customer_email, currency, total, created_at, updated_at)
    SELECT gen_random_uuid(), (ARRAY['web','mobile','pos','crm','marketplace'])[1 + i % 5], 'BENCH-' || i, 'BENCH-' || lpad((1 + i % 20)::text, 2, '0'),
           'CUST-' || (i % 20000), 'Customer ' || (i % 20000), 'c' || (i % 20000) || '@bench.example',
           (ARRAY['USD','USD','USD','EUR','GBP'])[1 + i % 5], 100000, now() - interval '95 days', now()
      FROM generate_series(1, ${ORDERS}) i;
  INSERT INTO order_lines (id, order_id, line_id, position, sku, description, quantity, unit_price, location_id)
    SELECT gen_random_uuid(), o.id, '1', 0, 'SKU-' || (abs(hashtext(o.external_id)) % 500), 'Product ' || (abs(hashtext(o.external_id)) % 500), 10, 10000, 'DC-EAST' FROM orders o;
`);
// Cancellations spread over 90 days; one in five needed approval; most completed.
seconds += await scratch.seed(`
  CREATE TEMP TABLE ord AS SELECT row_number() OVER () AS n, o.id, o.currency, l.id AS line_id FROM orders o JOIN order_lines l ON l.order_id = o.id;
  CREATE TEMP TABLE agents AS SELECT row_number() OVER () AS n, id FROM users WHERE email LIKE '%@bench.example';
  INSERT INTO cancellations (id, order_id, status, reason, refund_method, currency, subtotal, discount, tax, shipping, shipping_tax, total, preview_version,
                             approval_required, approval_reasons, approver_role, requested_by_id, channel, correlation_id, expires_at, completed_at, created_at, updated_at)
    SELECT gen_random_uuid(), ord.id,
           (CASE WHEN j % 20 = 0 THEN 'rejected' WHEN j % 97 = 0 THEN 'failed' WHEN j % 53 = 0 THEN 'expired' WHEN j % 41 = 0 THEN 'pending_approval' ELSE 'completed' END)::"CancellationStatus",
           (ARRAY['CUSTOMER_REQUEST','CUSTOMER_REQUEST','ITEM_UNAVAILABLE','PRICE_ERROR','DUPLICATE_ORDER','DELIVERY_DELAY','FRAUD_SUSPECTED','OTHER'])[1 + j % 8],
           'original', ord.currency, 10000 * (1 + j % 3), 0, 0, 0, 0, 10000 * (1 + j % 3), 1,
           j % 5 = 0, CASE WHEN j % 5 = 0 THEN (CASE WHEN j % 15 = 0 THEN ARRAY['velocity'] ELSE ARRAY['limit'] END) ELSE ARRAY[]::text[] END,
           CASE WHEN j % 5 = 0 THEN 'store_manager'::"Role" END, agents.id, 'web', gen_random_uuid(), NULL,
           t.at + interval '2 minutes' * (1 + j % 7), t.at, now()
      FROM generate_series(1, ${CANCELLATIONS}) j
      JOIN ord ON ord.n = 1 + j % ${ORDERS}
      JOIN agents ON agents.n = 1 + j % 50
      CROSS JOIN LATERAL (SELECT now() - interval '90 days' * random() AS at) t;
  UPDATE cancellations SET completed_at = NULL WHERE status <> 'completed';
  INSERT INTO cancellation_items (id, cancellation_id, order_line_id, line_id, quantity, subtotal, discount, merchandise, tax, total)
    SELECT gen_random_uuid(), c.id, ord.line_id, '1', c.total / 10000, c.total, 0, c.total, 0, c.total FROM cancellations c JOIN ord ON ord.id = c.order_id;
  INSERT INTO approvals (id, cancellation_id, required_role, decision, decided_by_id, decided_at)
    SELECT gen_random_uuid(), c.id, 'store_manager', (CASE WHEN c.status = 'rejected' THEN 'rejected' WHEN c.status = 'expired' THEN 'expired' ELSE 'approved' END)::"ApprovalDecision",
           CASE WHEN c.status = 'expired' THEN NULL ELSE c.requested_by_id END, c.created_at + interval '1 minute' * (5 + abs(hashtext(c.id::text)) % 600)
      FROM cancellations c WHERE c.approval_required AND c.status <> 'pending_approval';
  ANALYZE;
`);
const db = createDb(scratch.url, 10);
console.log(`Seeded ${await db.cancellation.count()} cancellations on ${ORDERS} orders in ${seconds.toFixed(1)} s.`);
const median = (run: () => Promise<unknown>) => medianMs(RUNS, run);

for (const [label, who] of [
  ["admin, every store, last 30 days", actor("system_admin", null)],
  ["store manager, 2 stores, last 30 days", actor("store_manager", ["BENCH-01", "BENCH-02"])],
] as const) {
  const scope = insightsScopeFor(who, {});
  console.log(`\n${label}:`);
  const queries: [string, () => Promise<unknown>][] = [
    ["per day and currency", () => q.cancellationsPerDay(db, scope)],
    ["by reason", () => q.cancellationsByReason(db, scope)],
    ["by store and channel", () => q.cancellationsByStoreAndChannel(db, scope)],
    ["top cancelled SKUs", () => q.topCancelledSkus(db, scope)],
    ["approval lead time and outcomes", () => q.approvalOutcomes(db, scope)],
    ["saga outcomes and time to complete", () => q.sagaOutcomes(db, scope)],
    ["unusual customers", () => q.unusualPatterns(db, scope, "customer")],
    ["unusual agents", () => q.unusualPatterns(db, scope, "agent")],
    ["unusual stores", () => q.unusualPatterns(db, scope, "store")],
    ["velocity flags", () => q.velocityFlagged(db, scope)],
  ];
  for (const [what, run] of queries) console.log(`  ${what.padEnd(38)} ${(await median(run)).toFixed(1).padStart(8)} ms`);
  console.log(`  ${"whole page (queries in parallel)".padEnd(38)} ${(await median(() => getInsights({ db, actor: who }, {}))).toFixed(1).padStart(8)} ms`);
}

await db.$disconnect();
await scratch.drop();
