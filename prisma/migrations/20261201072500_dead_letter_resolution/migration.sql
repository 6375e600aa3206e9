-- A dead letter remembers its job's key and limit (a retry keeps them) and how it was resolved.
ALTER TABLE "dead_letters" ADD COLUMN "job_key" TEXT;
ALTER TABLE "dead_letters" ADD COLUMN "max_attempts" INTEGER;
ALTER TABLE "dead_letters" ADD COLUMN "resolved_by_id" UUID;
ALTER TABLE "dead_letters" ADD COLUMN "resolution_note" TEXT;

-- A retried dead letter is resolved: its job is back on the queue.
UPDATE "dead_letters" SET "resolved_at" = "retried_at" WHERE "retried_at" IS NOT NULL AND "resolved_at" IS NULL;

CREATE INDEX "dead_letters_resolved_at_created_at_idx" ON "dead_letters"("resolved_at", "created_at");
