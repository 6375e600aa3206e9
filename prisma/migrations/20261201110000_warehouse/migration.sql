-- The warehouse (SPEC §11, issue 18): released units are cancelled by asking the WMS.
-- A cancellation that names released units waits in awaiting_warehouse (after any approval,
-- before payment) until the warehouse answers per line, or WAREHOUSE_CONFIRM_TIMEOUT passes.
ALTER TYPE "CancellationStatus" ADD VALUE IF NOT EXISTS 'awaiting_warehouse';

-- Units of the item taken from `released` (they leave released for pending_cancel while held).
ALTER TABLE "cancellation_items" ADD COLUMN "from_warehouse" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "cancellation_items" ADD CONSTRAINT "cancellation_items_from_warehouse_within_quantity"
  CHECK ("from_warehouse" >= 0 AND "from_warehouse" <= "quantity");

ALTER TABLE "cancellations"
  ADD COLUMN "awaiting_warehouse_since" TIMESTAMP(3),
  ADD COLUMN "warehouse_requested_at" TIMESTAMP(3),
  ADD COLUMN "warehouse_answered_at" TIMESTAMP(3),
  ADD COLUMN "up_to_total" BIGINT;

-- One row per line the warehouse is asked about: what was asked, what it answered, and the
-- line as it stood before the hold (the snapshot the refund for the stopped units comes from).
CREATE TABLE "warehouse_cancellation_lines" (
    "id" UUID NOT NULL,
    "cancellation_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "line_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "requested" BIGINT NOT NULL,
    "stopped" BIGINT,
    "outcome" TEXT,
    "message_id" TEXT,
    "answered_at" TIMESTAMP(3),
    "snapshot" JSONB NOT NULL,
    CONSTRAINT "warehouse_cancellation_lines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "warehouse_cancellation_lines_stopped_within_requested" CHECK ("requested" > 0 AND ("stopped" IS NULL OR ("stopped" >= 0 AND "stopped" <= "requested")))
);
CREATE UNIQUE INDEX "warehouse_cancellation_lines_cancellation_id_order_line_id_key" ON "warehouse_cancellation_lines"("cancellation_id", "order_line_id");
ALTER TABLE "warehouse_cancellation_lines" ADD CONSTRAINT "warehouse_cancellation_lines_cancellation_id_fkey" FOREIGN KEY ("cancellation_id") REFERENCES "cancellations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Differences between our reservations and GET /wm/inventory/status, listed for an admin.
CREATE TABLE "inventory_discrepancies" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "line_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "ours" BIGINT NOT NULL,
    "theirs" BIGINT NOT NULL,
    "detected_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMP(3),
    "resolved_by_id" UUID,
    "resolution_note" TEXT,
    CONSTRAINT "inventory_discrepancies_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "inventory_discrepancies_resolved_at_detected_at_idx" ON "inventory_discrepancies"("resolved_at", "detected_at");
CREATE INDEX "inventory_discrepancies_order_line_id_location_id_idx" ON "inventory_discrepancies"("order_line_id", "location_id");

INSERT INTO "provider_circuits" ("provider") VALUES ('warehouse') ON CONFLICT DO NOTHING;
