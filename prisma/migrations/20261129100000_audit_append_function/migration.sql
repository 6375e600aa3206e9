-- Appends one audit entry to the hash chain in a single statement: the
-- chain's lock, the previous hash and the insert happen in one round trip, so
-- the lock (held until the caller commits) is held as briefly as possible.
-- hash = sha256_hex(prev_hash || content_hash); the application computes
-- content_hash over the entry's fields (server/audit/record-audit.ts).
CREATE FUNCTION "append_audit_log"(
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
DECLARE
    v_prev TEXT;
BEGIN
    PERFORM pg_advisory_xact_lock(72707370);
    -- A new statement, so a new snapshot: it sees the entry of whoever held the lock before.
    SELECT hash INTO v_prev FROM audit_log ORDER BY id DESC LIMIT 1;
    v_prev := COALESCE(v_prev, repeat('0', 64));
    INSERT INTO audit_log (at, actor_type, actor_id, action, entity, entity_id, order_id, ip, user_agent, channel, details, prev_hash, hash)
    VALUES (p_at, p_actor_type, p_actor_id, p_action, p_entity, p_entity_id, p_order_id, p_ip, p_user_agent, p_channel, p_details,
            v_prev, encode(sha256(convert_to(v_prev || p_content_hash, 'UTF8')), 'hex'));
END;
$$ LANGUAGE plpgsql;
