-- The audit hash chain is sealed off the request path (server/audit/seal-audit-log.ts): a
-- writer appends its entry with the hash of its own content and no global lock; the sealer,
-- one at a time wherever it runs, gives committed entries the next chain_seq and chains them:
-- hash = sha256_hex(prev_hash || content_hash), prev_hash the hash of chain_seq - 1.
ALTER TABLE "audit_log" ADD COLUMN "content_hash" TEXT;
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" BIGINT;
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL;
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;

-- The entries so far were chained in id order under the old global lock.
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_no_update";
UPDATE "audit_log" SET "chain_seq" = "id";
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_no_update";
CREATE UNIQUE INDEX "audit_log_chain_seq_key" ON "audit_log"("chain_seq");

-- Still append-only: the one change allowed is sealing an unsealed entry, and only its chain columns.
CREATE OR REPLACE FUNCTION "audit_log_append_only"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."chain_seq" IS NULL AND NEW."chain_seq" IS NOT NULL
     AND OLD."prev_hash" IS NULL AND OLD."hash" IS NULL
     AND (to_jsonb(OLD) - 'chain_seq' - 'prev_hash' - 'hash') = (to_jsonb(NEW) - 'chain_seq' - 'prev_hash' - 'hash') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

-- Appends without a lock: the entry waits for the sealer, which hears of it at commit.
CREATE OR REPLACE FUNCTION "append_audit_log"(
    p_at TIMESTAMP(3),
    p_actor_type TEXT,
    p_actor_id TEXT,
    p_action TEXT,
    p_entity TEXT,
    p_entity_id TEXT,
    p_order_id TEXT,
    p_ip TEXT,
    p_user_agent TEXT,
    p_channel TEXT,
    p_details JSONB,
    p_content_hash TEXT
) RETURNS VOID AS $$
BEGIN
    INSERT INTO audit_log (at, actor_type, actor_id, action, entity, entity_id, order_id, ip, user_agent, channel, details, content_hash)
    VALUES (p_at, p_actor_type, p_actor_id, p_action, p_entity, p_entity_id, p_order_id, p_ip, p_user_agent, p_channel, p_details, p_content_hash);
    PERFORM pg_notify('audit_appended', '');
END;
$$ LANGUAGE plpgsql;

-- Seals up to p_limit committed entries in id order; -1 when another sealer holds the lock.
-- Entries committed later than a higher id are sealed later, with a later chain_seq: the chain
-- is the order of sealing, never a gap.
CREATE FUNCTION "seal_audit_log"(p_limit INT) RETURNS INT AS $$
DECLARE
    v_prev TEXT;
    v_seq BIGINT;
    v_hash TEXT;
    v_sealed INT := 0;
    r RECORD;
BEGIN
    IF NOT pg_try_advisory_xact_lock(72707370) THEN
        RETURN -1;
    END IF;
    SELECT "hash", "chain_seq" INTO v_prev, v_seq FROM audit_log WHERE "chain_seq" IS NOT NULL ORDER BY "chain_seq" DESC LIMIT 1;
    v_prev := COALESCE(v_prev, repeat('0', 64));
    v_seq := COALESCE(v_seq, 0);
    FOR r IN SELECT "id", "content_hash" FROM audit_log WHERE "chain_seq" IS NULL ORDER BY "id" LIMIT p_limit LOOP
        v_seq := v_seq + 1;
        v_hash := encode(sha256(convert_to(v_prev || r."content_hash", 'UTF8')), 'hex');
        UPDATE audit_log SET "chain_seq" = v_seq, "prev_hash" = v_prev, "hash" = v_hash WHERE "id" = r."id";
        v_prev := v_hash;
        v_sealed := v_sealed + 1;
    END LOOP;
    RETURN v_sealed;
END;
$$ LANGUAGE plpgsql;
