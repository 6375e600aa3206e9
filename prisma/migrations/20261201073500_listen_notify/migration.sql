-- In-process caches and waits learn of changes through LISTEN/NOTIFY (server/db/listener.ts).
-- A notification is delivered when the transaction that changed the row commits, and PostgreSQL
-- folds identical notifications of one transaction into one.

-- The business rules in force (server/cancellations/business-rules.ts).
CREATE FUNCTION "notify_business_rules_changed"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('business_rules_changed', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "business_rules_notify" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "business_rules"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_business_rules_changed"();

-- What an API key authenticates as (server/auth/api-keys.ts): the key, its user's role and
-- active flag, the user's stores. last_used_at is not among them.
CREATE FUNCTION "notify_auth_changed"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('auth_changed', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "api_keys_notify" AFTER INSERT OR DELETE OR UPDATE OF "key_hash", "scopes", "user_id", "revoked_at" ON "api_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_auth_changed"();
CREATE TRIGGER "users_notify" AFTER DELETE OR UPDATE OF "active", "role", "email", "name" ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_auth_changed"();
CREATE TRIGGER "user_stores_notify" AFTER INSERT OR UPDATE OR DELETE ON "user_stores"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_auth_changed"();

-- A cancellation's status changed: a submit waiting for its saga answers (submit-cancellation.ts).
CREATE FUNCTION "notify_cancellation_status"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('cancellation_status', NEW."id"::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "cancellations_status_notify" AFTER UPDATE OF "status" ON "cancellations"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION "notify_cancellation_status"();

-- The velocity rule counts a customer's cancellations on their other orders (SPEC §5).
CREATE INDEX "orders_customer_id_idx" ON "orders"("customer_id");
