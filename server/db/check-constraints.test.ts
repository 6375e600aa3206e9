import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { importOrder } from "@/server/orders/import-order";
import { actorFor, exampleA } from "@/test/saga-harness";
import { CHECK_CONSTRAINTS } from "./check-constraints";

/*
 * Each CHECK constraint refuses a write that breaks only it, on rows a real import and a real
 * held cancellation left (example A with the customer's phone +1 (555) 010-4477, 2 of line A held:
 * 194.85 on the card's reversal_held).
 */

const db = getDb();
let client: pg.Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const agent = await actorFor();
  const order = exampleA();
  const { orderId } = await importOrder({ db, actor: agent }, { ...order, customer: { ...order.customer, phone: "+1 (555) 010-4477" } });
  const held = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  const one = async (sql: string, ...params: unknown[]) => (await client.query<{ id: string }>(sql, params)).rows[0]!.id;
  ids.order = orderId;
  ids.cancellation = held.body.cancellationId;
  ids.lineA = await one(`SELECT id FROM order_lines WHERE order_id = $1 AND line_id = 'A'`, orderId);
  ids.lineB = await one(`SELECT id FROM order_lines WHERE order_id = $1 AND line_id = 'B'`, orderId);
  ids.discount = await one(`SELECT id FROM order_discounts WHERE order_id = $1`, orderId);
  ids.card = await one(`SELECT id FROM tenders WHERE order_id = $1 AND tender_id = 'T1'`, orderId);
  ids.giftCard = await one(`SELECT id FROM tenders WHERE order_id = $1 AND tender_id = 'T2'`, orderId);
  ids.reservation = await one(`SELECT id FROM inventory_reservations WHERE order_line_id = $1`, ids.lineA);
  ids.item = await one(`SELECT id FROM cancellation_items WHERE cancellation_id = $1`, ids.cancellation);
  ids.allocation = await one(`SELECT id FROM cancellation_allocations WHERE cancellation_id = $1`, ids.cancellation);
  ids.ledgerAccount = await one(`SELECT a.id FROM ledger_accounts a JOIN tenders t ON t.provider_reference = a.reference WHERE t.id = $1`, ids.giftCard);
});
afterAll(() => client.end());

interface Case {
  constraint: string;
  /** A write that breaks only this constraint. */
  bad: [sql: string, id: keyof typeof ids];
  /** Other writes that break only this constraint (another bound, another column). */
  alsoBad?: [sql: string, id: keyof typeof ids][];
  /** The same write at the limit, which the constraint allows (run in a rolled-back transaction). */
  limit?: [sql: string, id: keyof typeof ids];
}

const cases: Case[] = [
  { constraint: "orders_money_non_negative", bad: [`UPDATE orders SET total = -1 WHERE id = $1`, "order"], limit: [`UPDATE orders SET total = 0 WHERE id = $1`, "order"] },
  {
    constraint: "orders_shipping_refunded_within_charged",
    bad: [`UPDATE orders SET shipping_refunded = shipping_amount + 1 WHERE id = $1`, "order"],
    limit: [`UPDATE orders SET shipping_refunded = shipping_amount WHERE id = $1`, "order"],
  },
  {
    // 17 characters stored; padded with spaces to 41, the digits unchanged.
    constraint: "orders_customer_phone_length",
    bad: [`UPDATE orders SET customer_phone = rpad(customer_phone, 41) WHERE id = $1`, "order"],
    limit: [`UPDATE orders SET customer_phone = rpad(customer_phone, 40) WHERE id = $1`, "order"],
  },
  {
    constraint: "orders_customer_phone_digits_only",
    bad: [`UPDATE orders SET customer_phone = '4477', customer_phone_digits = '4477' WHERE id = $1`, "order"],
    alsoBad: [[`UPDATE orders SET customer_phone = '+1234567890123456', customer_phone_digits = '1234567890123456' WHERE id = $1`, "order"]],
    limit: [`UPDATE orders SET customer_phone = '04477', customer_phone_digits = '04477' WHERE id = $1`, "order"],
  },
  {
    constraint: "orders_customer_phone_digits_with_phone",
    bad: [`UPDATE orders SET customer_phone = NULL WHERE id = $1`, "order"],
    alsoBad: [[`UPDATE orders SET customer_phone_digits = NULL WHERE id = $1`, "order"]],
    limit: [`UPDATE orders SET customer_phone = NULL, customer_phone_digits = NULL WHERE id = $1`, "order"],
  },
  {
    // Digits of another number, or a new number without its digits: the search would find the wrong order.
    constraint: "orders_customer_phone_digits_of_phone",
    bad: [`UPDATE orders SET customer_phone_digits = '15550104478' WHERE id = $1`, "order"],
    alsoBad: [[`UPDATE orders SET customer_phone = '+1 (555) 010-4478' WHERE id = $1`, "order"]],
    limit: [`UPDATE orders SET customer_phone = '1-555-010-4477' WHERE id = $1`, "order"],
  },
  { constraint: "order_lines_quantity_positive", bad: [`UPDATE order_lines SET quantity = 0, unit_price = 0, discount = 0, order_discount_share = 0 WHERE id = $1`, "lineB"] },
  { constraint: "order_lines_units_non_negative", bad: [`UPDATE order_lines SET shipped = -1 WHERE id = $1`, "lineB"] },
  {
    constraint: "order_lines_units_within_quantity",
    bad: [`UPDATE order_lines SET cancelled = quantity - pending_cancel + 1 WHERE id = $1`, "lineA"],
    limit: [`UPDATE order_lines SET cancelled = quantity - pending_cancel WHERE id = $1`, "lineA"],
  },
  { constraint: "order_lines_money_non_negative", bad: [`UPDATE order_lines SET order_discount_share = -1 WHERE id = $1`, "lineB"] },
  {
    constraint: "order_lines_net_refunded_within_net",
    bad: [`UPDATE order_lines SET net_refunded = unit_price * quantity - discount - order_discount_share + 1 WHERE id = $1`, "lineA"],
    limit: [`UPDATE order_lines SET net_refunded = unit_price * quantity - discount - order_discount_share WHERE id = $1`, "lineA"],
  },
  {
    constraint: "order_lines_tax_refunded_within_tax",
    bad: [`UPDATE order_lines SET tax_refunded = tax + 1 WHERE id = $1`, "lineA"],
    limit: [`UPDATE order_lines SET tax_refunded = tax WHERE id = $1`, "lineA"],
  },
  { constraint: "order_discounts_amount_non_negative", bad: [`UPDATE order_discounts SET amount = -1 WHERE id = $1`, "discount"] },
  { constraint: "tenders_money_non_negative", bad: [`UPDATE tenders SET refunded = -1 WHERE id = $1`, "giftCard"] },
  {
    constraint: "tenders_reversals_within_uncaptured",
    bad: [`UPDATE tenders SET reversed = authorized - captured - reversal_held + 1 WHERE id = $1`, "card"],
    limit: [`UPDATE tenders SET reversed = authorized - captured - reversal_held WHERE id = $1`, "card"],
  },
  {
    constraint: "tenders_refunds_within_captured",
    bad: [`UPDATE tenders SET refund_held = captured - refunded + 1 WHERE id = $1`, "giftCard"],
    limit: [`UPDATE tenders SET refund_held = captured - refunded WHERE id = $1`, "giftCard"],
  },
  {
    constraint: "inventory_reservations_released_within_quantity",
    bad: [`UPDATE inventory_reservations SET released = quantity + 1 WHERE id = $1`, "reservation"],
    limit: [`UPDATE inventory_reservations SET released = quantity WHERE id = $1`, "reservation"],
  },
  { constraint: "cancellations_money_non_negative", bad: [`UPDATE cancellations SET shipping_tax = -1 WHERE id = $1`, "cancellation"] },
  { constraint: "cancellation_items_quantity_positive", bad: [`UPDATE cancellation_items SET quantity = 0 WHERE id = $1`, "item"] },
  { constraint: "cancellation_items_money_non_negative", bad: [`UPDATE cancellation_items SET discount = -1 WHERE id = $1`, "item"] },
  { constraint: "cancellation_items_waived_non_negative", bad: [`UPDATE cancellation_items SET waived_tax = -1 WHERE id = $1`, "item"] },
  {
    constraint: "cancellation_items_from_warehouse_within_quantity",
    bad: [`UPDATE cancellation_items SET from_warehouse = quantity + 1 WHERE id = $1`, "item"],
    limit: [`UPDATE cancellation_items SET from_warehouse = quantity WHERE id = $1`, "item"],
  },
  {
    constraint: "warehouse_cancellation_lines_stopped_within_requested",
    bad: [
      `INSERT INTO warehouse_cancellation_lines (id, cancellation_id, order_line_id, line_id, sku, location_id, requested, stopped, snapshot)
       SELECT gen_random_uuid(), cancellation_id, order_line_id, line_id, 'SKU', 'DC', 2, 3, '{}'::jsonb FROM cancellation_items WHERE cancellation_id = $1 LIMIT 1`,
      "cancellation",
    ],
    limit: [
      `INSERT INTO warehouse_cancellation_lines (id, cancellation_id, order_line_id, line_id, sku, location_id, requested, stopped, snapshot)
       SELECT gen_random_uuid(), cancellation_id, order_line_id, line_id, 'SKU', 'DC', 2, 2, '{}'::jsonb FROM cancellation_items WHERE cancellation_id = $1 LIMIT 1`,
      "cancellation",
    ],
  },
  { constraint: "cancellations_shipping_added_non_negative", bad: [`UPDATE cancellations SET shipping_tax_added = -1 WHERE id = $1`, "cancellation"] },
  { constraint: "cancellations_override_money_non_negative", bad: [`UPDATE cancellations SET shipping_waived = -1 WHERE id = $1`, "cancellation"] },
  { constraint: "cancellation_allocations_amount_non_negative", bad: [`UPDATE cancellation_allocations SET amount = -1 WHERE id = $1`, "allocation"] },
  { constraint: "ledger_accounts_balance_non_negative", bad: [`UPDATE ledger_accounts SET balance = -1 WHERE id = $1`, "ledgerAccount"] },
  {
    constraint: "ledger_entries_amount_non_negative",
    bad: [`INSERT INTO ledger_entries (id, account_id, amount, idempotency_key) VALUES (gen_random_uuid(), $1, -1, gen_random_uuid()::text)`, "ledgerAccount"],
    limit: [`INSERT INTO ledger_entries (id, account_id, amount, idempotency_key) VALUES (gen_random_uuid(), $1, 0, gen_random_uuid()::text)`, "ledgerAccount"],
  },
  {
    constraint: "manual_refund_tasks_amount_non_negative",
    bad: [`INSERT INTO manual_refund_tasks (id, cancellation_id, amount, currency, reason, origin) VALUES (gen_random_uuid(), $1, -1, 'USD', 'test', 'declined')`, "cancellation"],
    limit: [`INSERT INTO manual_refund_tasks (id, cancellation_id, amount, currency, reason, origin) VALUES (gen_random_uuid(), $1, 0, 'USD', 'test', 'declined')`, "cancellation"],
  },
];

/** Every column of every table the cases touch, to show a refused write changed nothing. */
async function everything() {
  const tables = ["orders", "order_lines", "order_discounts", "tenders", "inventory_reservations", "cancellations", "cancellation_items", "cancellation_allocations", "ledger_accounts", "ledger_entries", "manual_refund_tasks", "warehouse_cancellation_lines"];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = (await client.query(`SELECT * FROM ${t} ORDER BY id`)).rows;
  return out;
}

describe("CHECK constraints", () => {
  it("every constraint in check-constraints.ts has a case below", () => {
    expect(cases.map((c) => c.constraint).sort()).toEqual(CHECK_CONSTRAINTS.map((c) => c.name).sort());
  });

  it.each(cases)("$constraint refuses a bad write and changes nothing", async ({ constraint, bad, alsoBad = [], limit }) => {
    const before = await everything();
    for (const [sql, id] of [bad, ...alsoBad]) await expect(client.query(sql, [ids[id]])).rejects.toMatchObject({ code: "23514", constraint });
    expect(await everything()).toEqual(before);
    if (limit) {
      // The limit itself is allowed: the constraint refuses exactly what it should.
      await client.query("BEGIN");
      try {
        expect((await client.query(limit[0], [ids[limit[1]]])).rowCount).toBe(1);
      } finally {
        await client.query("ROLLBACK");
      }
    }
  });
});
