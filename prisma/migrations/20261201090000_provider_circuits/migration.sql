-- Circuit breakers shared by all processes (issue 11): the worker that opens
-- one and the admin panel that shows it read the same row.
CREATE TABLE "provider_circuits" (
    "provider" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'closed',
    "failures" INTEGER NOT NULL DEFAULT 0,
    "opened_at" TIMESTAMPTZ(3),
    "probe_started_at" TIMESTAMPTZ(3),
    "last_failure" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "provider_circuits_pkey" PRIMARY KEY ("provider")
);

INSERT INTO "provider_circuits" ("provider") VALUES ('stripe'), ('paypal'), ('adyen');
