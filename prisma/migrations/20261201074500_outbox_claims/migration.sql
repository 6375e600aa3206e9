-- The relay claims rows per order key, retries failed ones with backoff and parks poison rows.
ALTER TABLE "outbox" ADD COLUMN "last_error" TEXT;
ALTER TABLE "outbox" ADD COLUMN "next_attempt_at" TIMESTAMP(3);
ALTER TABLE "outbox" ADD COLUMN "parked_at" TIMESTAMP(3);
ALTER TABLE "outbox" ADD COLUMN "claimed_by" TEXT;
ALTER TABLE "outbox" ADD COLUMN "claimed_until" TIMESTAMP(3);

-- The rows still to publish, per order key in order (the relay's claim reads only these).
CREATE INDEX "outbox_pending_key_seq_idx" ON "outbox"("key", "seq") WHERE "published_at" IS NULL AND "parked_at" IS NULL;
CREATE INDEX "outbox_pending_seq_idx" ON "outbox"("seq") WHERE "published_at" IS NULL AND "parked_at" IS NULL;
CREATE INDEX "outbox_parked_idx" ON "outbox"("parked_at") WHERE "parked_at" IS NOT NULL AND "published_at" IS NULL;
