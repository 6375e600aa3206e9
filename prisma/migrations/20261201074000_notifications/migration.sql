-- AlterTable
ALTER TABLE "orders" ADD COLUMN "customer_locale" TEXT;

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sending', 'retrying', 'sent', 'failed', 'skipped');

-- CreateTable
CREATE TABLE "customer_notifications" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "cancellation_id" UUID,
    "order_id" UUID,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text_body" TEXT NOT NULL,
    "html_body" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3),
    "provider_message_id" TEXT,
    "provider_response" TEXT,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "sent_at" TIMESTAMP(3),
    CONSTRAINT "customer_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customer_notifications_event_id_recipient_key" ON "customer_notifications"("event_id", "recipient");

-- CreateIndex
CREATE INDEX "customer_notifications_cancellation_id_idx" ON "customer_notifications"("cancellation_id");

-- CreateTable
CREATE TABLE "ops_incidents" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "occurrences" INTEGER NOT NULL DEFAULT 1,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMP(3),
    "email_status" TEXT,
    "webhook_status" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "alerted_at" TIMESTAMP(3),
    CONSTRAINT "ops_incidents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ops_incidents_kind_subject_resolved_at_idx" ON "ops_incidents"("kind", "subject", "resolved_at");
