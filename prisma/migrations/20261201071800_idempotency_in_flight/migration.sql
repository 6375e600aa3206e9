-- A key is claimed before the request runs and completed with the answer sent (SPEC §6).
ALTER TABLE "idempotency_records" ADD COLUMN "locked_until" TIMESTAMP(3);
ALTER TABLE "idempotency_records" ADD COLUMN "completed_at" TIMESTAMP(3);

-- Records written before this migration held their final answer.
UPDATE "idempotency_records" SET "completed_at" = "created_at" WHERE "response_status" IS NOT NULL;
