import { AppError, ErrorCode } from "./errors";

/*
 * The internal ledger's one transition (gift cards and store credit): a credit adds its amount to
 * the account's balance and is recorded as an entry. The repository (server/ledger/internal-ledger.ts)
 * writes the change as it is; the CHECK constraint balance ≥ 0 refuses a wrong one.
 */

export interface LedgerChange {
  /** Minor units added to the balance. */
  balance: number;
}

/** A refund or new store credit of `amount` minor units onto an account. */
export function creditAccount(amount: number): LedgerChange {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new AppError(ErrorCode.INVALID_STATE, `A ledger credit must be a non-negative whole number of minor units, got ${amount}`, { amount });
  }
  return { balance: amount };
}

/** The balance after the change, refusing (INVALID_STATE) what the CHECK constraint refuses. Pure. */
export function applyLedgerChange(balance: number, change: LedgerChange): number {
  const next = balance + change.balance;
  if (!Number.isSafeInteger(next) || next < 0) throw new AppError(ErrorCode.INVALID_STATE, "A ledger balance would go below nothing", { balance, change });
  return next;
}
