-- What must never happen, refused by the database itself (issue 12). schema.prisma cannot express
-- CHECK constraints: server/db/check-constraints.ts lists these names and definitions, and the
-- schema-drift test fails when the migrated database has a different set.
-- Products are computed in numeric so that a check can never overflow BIGINT. On tenders,
-- captured <= authorized follows from the reversals check with non-negative amounts.

ALTER TABLE "orders"
  ADD CONSTRAINT "orders_money_non_negative"
    CHECK ("shipping_amount" >= 0 AND "shipping_tax" >= 0 AND "shipping_refunded" >= 0 AND "shipping_tax_refunded" >= 0 AND "total" >= 0),
  ADD CONSTRAINT "orders_shipping_refunded_within_charged"
    CHECK ("shipping_refunded" <= "shipping_amount" AND "shipping_tax_refunded" <= "shipping_tax");

ALTER TABLE "order_lines"
  ADD CONSTRAINT "order_lines_quantity_positive"
    CHECK ("quantity" > 0),
  ADD CONSTRAINT "order_lines_units_non_negative"
    CHECK ("shipped" >= 0 AND "released" >= 0 AND "cancelled" >= 0 AND "pending_cancel" >= 0),
  ADD CONSTRAINT "order_lines_units_within_quantity"
    CHECK ("shipped" + "released" + "cancelled" + "pending_cancel" <= "quantity"),
  ADD CONSTRAINT "order_lines_money_non_negative"
    CHECK ("unit_price" >= 0 AND "discount" >= 0 AND "tax" >= 0 AND "order_discount_share" >= 0 AND "net_refunded" >= 0 AND "tax_refunded" >= 0),
  ADD CONSTRAINT "order_lines_net_refunded_within_net"
    CHECK ("net_refunded"::numeric <= "unit_price"::numeric * "quantity" - "discount" - "order_discount_share"),
  ADD CONSTRAINT "order_lines_tax_refunded_within_tax"
    CHECK ("tax_refunded" <= "tax");

ALTER TABLE "order_discounts"
  ADD CONSTRAINT "order_discounts_amount_non_negative"
    CHECK ("amount" >= 0);

ALTER TABLE "tenders"
  ADD CONSTRAINT "tenders_money_non_negative"
    CHECK ("authorized" >= 0 AND "captured" >= 0 AND "reversed" >= 0 AND "refunded" >= 0 AND "reversal_held" >= 0 AND "refund_held" >= 0),
  ADD CONSTRAINT "tenders_reversals_within_uncaptured"
    CHECK ("reversed" + "reversal_held" <= "authorized" - "captured"),
  ADD CONSTRAINT "tenders_refunds_within_captured"
    CHECK ("refunded" + "refund_held" <= "captured");

ALTER TABLE "inventory_reservations"
  ADD CONSTRAINT "inventory_reservations_released_within_quantity"
    CHECK ("released" >= 0 AND "released" <= "quantity");

ALTER TABLE "cancellations"
  ADD CONSTRAINT "cancellations_money_non_negative"
    CHECK ("subtotal" >= 0 AND "discount" >= 0 AND "tax" >= 0 AND "shipping" >= 0 AND "shipping_tax" >= 0 AND "total" >= 0);

ALTER TABLE "cancellation_items"
  ADD CONSTRAINT "cancellation_items_quantity_positive"
    CHECK ("quantity" > 0),
  ADD CONSTRAINT "cancellation_items_money_non_negative"
    CHECK ("subtotal" >= 0 AND "discount" >= 0 AND "merchandise" >= 0 AND "tax" >= 0 AND "total" >= 0);

ALTER TABLE "cancellation_allocations"
  ADD CONSTRAINT "cancellation_allocations_amount_non_negative"
    CHECK ("amount" >= 0);

ALTER TABLE "ledger_accounts"
  ADD CONSTRAINT "ledger_accounts_balance_non_negative"
    CHECK ("balance" >= 0);

ALTER TABLE "ledger_entries"
  ADD CONSTRAINT "ledger_entries_amount_non_negative"
    CHECK ("amount" >= 0);

ALTER TABLE "manual_refund_tasks"
  ADD CONSTRAINT "manual_refund_tasks_amount_non_negative"
    CHECK ("amount" >= 0);
