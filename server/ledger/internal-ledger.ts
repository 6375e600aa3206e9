import { creditAccount, type LedgerChange } from "@/server/domain/ledger";
import type { Prisma } from "@/server/generated/prisma/client";

/**
 * Credits a gift card or store-credit account in PostgreSQL, in the caller's
 * transaction. The idempotency key is unique, so a repeated step credits once.
 * Returns the entry id (the "provider reference" of an internal refund).
 */
export async function creditLedger(
  tx: Prisma.TransactionClient,
  c: {
    kind: "gift_card" | "store_credit";
    reference: string;
    customerId: string;
    currency: string;
    amount: number;
    idempotencyKey: string;
    cancellationId: string;
    memo: string;
  },
): Promise<string> {
  const existing = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: c.idempotencyKey } });
  if (existing) return existing.id;
  const account = await tx.ledgerAccount.upsert({
    where: { reference: c.reference },
    update: {},
    create: { kind: c.kind, reference: c.reference, customerId: c.customerId, currency: c.currency },
  });
  if (account.currency !== c.currency) throw new Error(`ledger account ${c.reference} is in ${account.currency}, not ${c.currency}`);
  await applyLedgerChange(tx, account.id, creditAccount(c.amount));
  const entry = await tx.ledgerEntry.create({
    data: { accountId: account.id, amount: c.amount, idempotencyKey: c.idempotencyKey, cancellationId: c.cancellationId, memo: c.memo },
  });
  return entry.id;
}

/** The one writer of a ledger account's balance: the domain's change as it is, one statement. */
async function applyLedgerChange(tx: Prisma.TransactionClient, accountId: string, change: LedgerChange): Promise<void> {
  const n = await tx.$executeRaw`UPDATE ledger_accounts SET balance = balance + ${change.balance}::bigint WHERE id = ${accountId}::uuid`;
  if (n !== 1) throw new Error(`ledger account ${accountId} does not exist`);
}

/** The store-credit account a customer's new store credit goes to. */
export function storeCreditReference(customerId: string, currency: string): string {
  return `SC-${customerId}-${currency}`;
}
