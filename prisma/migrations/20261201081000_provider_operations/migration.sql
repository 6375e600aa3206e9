-- SPEC §6 "Provider outcomes": the intent of every provider operation, committed before the call.
CREATE TYPE "ManualTaskOrigin" AS ENUM ('refund_method', 'declined', 'reconciled_unknown', 'unverified_unknown');
CREATE TYPE "ProviderOperationStatus" AS ENUM ('calling', 'unknown', 'accepted', 'succeeded', 'declined', 'absent');

CREATE TABLE "provider_operations" (
    "id" UUID NOT NULL,
    "cancellation_id" UUID NOT NULL,
    "allocation_id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "provider" "PaymentProvider" NOT NULL,
    "operation" "AllocationOperation" NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "request" JSONB NOT NULL,
    "status" "ProviderOperationStatus" NOT NULL DEFAULT 'calling',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "provider_reference" TEXT,
    "last_outcome" TEXT,
    "next_attempt_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "settled_at" TIMESTAMP(3),
    CONSTRAINT "provider_operations_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "provider_operations_allocation_id_key" ON "provider_operations"("allocation_id");
CREATE UNIQUE INDEX "provider_operations_idempotency_key_key" ON "provider_operations"("idempotency_key");
CREATE INDEX "provider_operations_provider_provider_reference_idx" ON "provider_operations"("provider", "provider_reference");
CREATE INDEX "provider_operations_tender_id_status_idx" ON "provider_operations"("tender_id", "status");

ALTER TABLE "provider_operations" ADD CONSTRAINT "provider_operations_cancellation_id_fkey" FOREIGN KEY ("cancellation_id") REFERENCES "cancellations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "provider_operations" ADD CONSTRAINT "provider_operations_allocation_id_fkey" FOREIGN KEY ("allocation_id") REFERENCES "cancellation_allocations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "provider_operations" ADD CONSTRAINT "provider_operations_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tenders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Manual-refund tasks say where they came from, and whether the provider must be checked first.
ALTER TABLE "manual_refund_tasks" ADD COLUMN "allocation_id" UUID,
ADD COLUMN "origin" "ManualTaskOrigin",
ADD COLUMN "verify_at_provider" BOOLEAN NOT NULL DEFAULT false;
UPDATE "manual_refund_tasks" SET "origin" = CASE WHEN "reason" = 'Refund method is manual' THEN 'refund_method'::"ManualTaskOrigin" ELSE 'declined'::"ManualTaskOrigin" END;
-- Tasks from before this migration whose provider outcome was really unknown (a timeout, a 5xx, no confirmation).
UPDATE "manual_refund_tasks" SET "origin" = 'unverified_unknown', "verify_at_provider" = true
 WHERE "origin" = 'declined' AND ("reason" LIKE '%transient failure%' OR "reason" LIKE 'no confirmation from the provider%');
ALTER TABLE "manual_refund_tasks" ALTER COLUMN "origin" SET NOT NULL;
CREATE INDEX "manual_refund_tasks_allocation_id_idx" ON "manual_refund_tasks"("allocation_id");
