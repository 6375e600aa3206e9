-- When a provider's breaker last left closed. opened_at restarts at every failed half-open trial
-- (the next trial waits from it), so it cannot say how long the provider has been down; down_since
-- is set when the breaker opens from closed and cleared only when it closes again, and the
-- circuit_open alert (server/notifications/ops-alerts.ts) ages from it.
ALTER TABLE "provider_circuits" ADD COLUMN "down_since" TIMESTAMPTZ(3);

UPDATE "provider_circuits" SET "down_since" = "opened_at" WHERE "state" <> 'closed';
