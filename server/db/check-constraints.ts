/*
 * The CHECK constraints the migrations create (20261201074500_check_constraints and later), as PostgreSQL
 * prints them (pg_get_constraintdef). schema.prisma cannot express CHECKs, so this list is their
 * source of truth for the schema-drift test: a constraint missing, extra or different in the
 * migrated database is drift. A new constraint goes into a migration AND here.
 */
export interface CheckConstraint {
  table: string;
  name: string;
  definition: string;
}

export const CHECK_CONSTRAINTS: readonly CheckConstraint[] = [
  { table: "cancellation_allocations", name: "cancellation_allocations_amount_non_negative", definition: "CHECK ((amount >= 0))" },
  { table: "cancellation_items", name: "cancellation_items_from_warehouse_within_quantity", definition: "CHECK (((from_warehouse >= 0) AND (from_warehouse <= quantity)))" },
  { table: "cancellation_items", name: "cancellation_items_money_non_negative", definition: "CHECK (((subtotal >= 0) AND (discount >= 0) AND (merchandise >= 0) AND (tax >= 0) AND (total >= 0)))" },
  { table: "cancellation_items", name: "cancellation_items_quantity_positive", definition: "CHECK ((quantity > 0))" },
  { table: "cancellation_items", name: "cancellation_items_waived_non_negative", definition: "CHECK (((waived_merchandise >= 0) AND (waived_tax >= 0)))" },
  { table: "cancellations", name: "cancellations_money_non_negative", definition: "CHECK (((subtotal >= 0) AND (discount >= 0) AND (tax >= 0) AND (shipping >= 0) AND (shipping_tax >= 0) AND (total >= 0)))" },
  { table: "cancellations", name: "cancellations_shipping_added_non_negative", definition: "CHECK (((shipping_added >= 0) AND (shipping_tax_added >= 0)))" },
  { table: "cancellations", name: "cancellations_override_money_non_negative", definition: "CHECK (((override_shipping_added >= 0) AND (shipping_waived >= 0) AND (shipping_tax_waived >= 0)))" },
  { table: "inventory_reservations", name: "inventory_reservations_released_within_quantity", definition: "CHECK (((released >= 0) AND (released <= quantity)))" },
  { table: "ledger_accounts", name: "ledger_accounts_balance_non_negative", definition: "CHECK ((balance >= 0))" },
  { table: "ledger_entries", name: "ledger_entries_amount_non_negative", definition: "CHECK ((amount >= 0))" },
  { table: "manual_refund_tasks", name: "manual_refund_tasks_amount_non_negative", definition: "CHECK ((amount >= 0))" },
  { table: "order_discounts", name: "order_discounts_amount_non_negative", definition: "CHECK ((amount >= 0))" },
  { table: "order_lines", name: "order_lines_money_non_negative", definition: "CHECK (((unit_price >= 0) AND (discount >= 0) AND (tax >= 0) AND (order_discount_share >= 0) AND (net_refunded >= 0) AND (tax_refunded >= 0)))" },
  { table: "order_lines", name: "order_lines_net_refunded_within_net", definition: "CHECK (((net_refunded)::numeric <= ((((unit_price)::numeric * (quantity)::numeric) - (discount)::numeric) - (order_discount_share)::numeric)))" },
  { table: "order_lines", name: "order_lines_quantity_positive", definition: "CHECK ((quantity > 0))" },
  { table: "order_lines", name: "order_lines_tax_refunded_within_tax", definition: "CHECK ((tax_refunded <= tax))" },
  { table: "order_lines", name: "order_lines_units_non_negative", definition: "CHECK (((shipped >= 0) AND (released >= 0) AND (cancelled >= 0) AND (pending_cancel >= 0)))" },
  { table: "order_lines", name: "order_lines_units_within_quantity", definition: "CHECK (((((shipped + released) + cancelled) + pending_cancel) <= quantity))" },
  { table: "orders", name: "orders_customer_phone_digits_of_phone", definition: "CHECK ((customer_phone_digits = regexp_replace(customer_phone, '[^0-9]'::text, ''::text, 'g'::text)))" },
  { table: "orders", name: "orders_customer_phone_digits_only", definition: "CHECK ((customer_phone_digits ~ '^[0-9]{5,15}$'::text))" },
  { table: "orders", name: "orders_customer_phone_digits_with_phone", definition: "CHECK (((customer_phone IS NULL) = (customer_phone_digits IS NULL)))" },
  { table: "orders", name: "orders_customer_phone_length", definition: "CHECK ((char_length(customer_phone) <= 40))" },
  { table: "orders", name: "orders_money_non_negative", definition: "CHECK (((shipping_amount >= 0) AND (shipping_tax >= 0) AND (shipping_refunded >= 0) AND (shipping_tax_refunded >= 0) AND (total >= 0)))" },
  { table: "orders", name: "orders_shipping_refunded_within_charged", definition: "CHECK (((shipping_refunded <= shipping_amount) AND (shipping_tax_refunded <= shipping_tax)))" },
  { table: "tenders", name: "tenders_money_non_negative", definition: "CHECK (((authorized >= 0) AND (captured >= 0) AND (reversed >= 0) AND (refunded >= 0) AND (reversal_held >= 0) AND (refund_held >= 0)))" },
  { table: "tenders", name: "tenders_refunds_within_captured", definition: "CHECK (((refunded + refund_held) <= captured))" },
  { table: "tenders", name: "tenders_reversals_within_uncaptured", definition: "CHECK (((reversed + reversal_held) <= (authorized - captured)))" },
  { table: "warehouse_cancellation_lines", name: "warehouse_cancellation_lines_stopped_within_requested", definition: "CHECK (((requested > 0) AND ((stopped IS NULL) OR ((stopped >= 0) AND (stopped <= requested)))))" },
];

/** Unique indexes with a WHERE clause (Prisma cannot express them): columns and predicate as PostgreSQL prints them. */
export const PARTIAL_UNIQUE_INDEXES: readonly CheckConstraint[] = [
  { table: "tenders", name: "tenders_provider_reference_key", definition: "(provider,provider_reference) WHERE (provider <> 'internal'::\"PaymentProvider\")" },
];
