-- Timeline entries as facts (kind + facts), rendered in words when read; older entries keep their text.
ALTER TABLE "cancellation_timeline" ADD COLUMN "data" JSONB;
