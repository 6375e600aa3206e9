import { bounded, loopbackBase, summary } from "./lib/bench";
import { runSubmitLoad } from "./lib/submit-load";

/*
 * `npm run bench:submit`: USERS concurrent users (default 50) each import fresh orders, preview,
 * and submit a cancellation to completion against a RUNNING app (its worker and provider fake
 * too: `npm run dev` or `npm start`). Prints throughput and p50/p95/p99 for accept (the 201)
 * and for completion (the cancellation's createdAt → completedAt), and checks that no unit was over-cancelled
 * and every refund equals its preview (SPEC §9). `npm run bench` runs it beside pgbench.
 *
 *   BASE_URL          loopback only (default http://localhost:3000)
 *   USERS             concurrent users (default 50, at most 200)
 *   ORDERS_PER_USER   submits per user (default 4, at most 100)
 *   DATABASE_URL      the app's database: completions are followed there (one statement every 50 ms)
 *                     instead of each user polling the app over HTTP every 200 ms
 */

const base = loopbackBase();
const users = bounded("USERS", 50, 200);
const perUser = bounded("ORDERS_PER_USER", 4, 100);
const result = await runSubmitLoad({ base, users, perUser, databaseUrl: process.env.DATABASE_URL });
console.log(`${users} users × ${perUser} cancellations on ${base.origin}: ${result.completed} completed in ${result.elapsedS.toFixed(1)} s → ${(result.completed / result.elapsedS).toFixed(1)} cancellations/s (each with an import and a preview)`);
console.log(summary("accept (201)", result.accept));
console.log(summary("submit → completed (server timestamps)", result.completion));
console.log(`over-cancelled units or refunds differing from their preview: ${result.problems.length}`);
for (const p of result.problems.slice(0, 10)) console.log(`  ${p}`);
process.exitCode = result.problems.length ? 1 : 0;
