-- SPEC §5 overrides (override_cancellation_rules): refund shipping the policy would not refund,
-- or cancel with no refund. What a no-refund cancellation settles without refunding is kept
-- beside what it refunds, so a release (rejection, withdrawal, failure) gives back exactly
-- what was committed on the order.
ALTER TABLE "cancellations"
  ADD COLUMN "override_refund_shipping" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "override_no_refund" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "override_shipping_added" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "shipping_waived" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "shipping_tax_waived" BIGINT NOT NULL DEFAULT 0;

ALTER TABLE "cancellation_items"
  ADD COLUMN "waived_merchandise" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "waived_tax" BIGINT NOT NULL DEFAULT 0;

ALTER TABLE "cancellations" ADD CONSTRAINT "cancellations_override_money_non_negative"
  CHECK ("override_shipping_added" >= 0 AND "shipping_waived" >= 0 AND "shipping_tax_waived" >= 0);
ALTER TABLE "cancellation_items" ADD CONSTRAINT "cancellation_items_waived_non_negative"
  CHECK ("waived_merchandise" >= 0 AND "waived_tax" >= 0);
