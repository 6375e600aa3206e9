-- AlterTable
ALTER TABLE "cancellations" ADD COLUMN "approver_role" "Role",
ADD COLUMN "order_adjusted_at" TIMESTAMP(3),
ADD COLUMN "inventory_released_at" TIMESTAMP(3),
ADD COLUMN "failure_reason" TEXT;

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);
