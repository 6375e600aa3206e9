-- AlterTable
ALTER TABLE "cancellations" ADD COLUMN "notify_customer" BOOLEAN NOT NULL DEFAULT true;
