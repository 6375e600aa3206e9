import { verifyAuditChain } from "@/server/admin/audit/verify-audit-chain";
import { createDb } from "@/server/db/client";
import { startDatabase } from "./lib/database";

// `npm run audit:verify`: recomputes every audit_log hash in id order. Exits 1
// naming the first row that was changed, forged or follows a deleted row.
const database = await startDatabase({ name: "partial_cancellation", log: () => {} });
const db = createDb(database.url, 2);
let code = 0;
try {
  const result = await verifyAuditChain(db);
  if (result.ok) {
    console.log(`Audit chain intact: ${result.checked} entries, last hash ${result.lastHash}.`);
  } else {
    console.error(`Audit chain BROKEN at row ${result.brokenId} (${result.problem}), after ${result.checked} good entries.`);
    console.error(result.message);
    code = 1;
  }
} catch (error) {
  console.error("Could not verify the audit chain:", error);
  code = 2;
} finally {
  await db.$disconnect();
  await database.stop();
}
process.exit(code);
