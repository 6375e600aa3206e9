-- SPEC §3, shipping with held units: a cancellation that completed the order while another held
-- units took no shipping; the saga that later makes the order fully cancelled adds it. Recorded
-- on that cancellation (refunded, or settled without refund under a no-refund override) and on
-- the allocations that pay it, which keep the cancellation's own total as previewed.
ALTER TABLE "cancellations" ADD COLUMN "shipping_added" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "cancellations" ADD COLUMN "shipping_tax_added" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "cancellations" ADD CONSTRAINT "cancellations_shipping_added_non_negative"
  CHECK ("shipping_added" >= 0 AND "shipping_tax_added" >= 0);
ALTER TABLE "cancellation_allocations" ADD COLUMN "shipping_added" BOOLEAN NOT NULL DEFAULT false;
