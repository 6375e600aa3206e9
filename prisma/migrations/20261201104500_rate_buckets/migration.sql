-- Token buckets of the request limits (server/rest/rate-limit.ts), shared by every app instance:
-- one row per bucket, taken from and refilled by one atomic statement on the database clock.
-- They replace rate-limiter-flexible's fixed one-minute windows (rate_limits). A row whose bucket
-- would be full again (expires_ms passed) means nothing and is swept by the worker.
DROP TABLE "rate_limits";

CREATE TABLE "rate_buckets" (
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "updated_ms" BIGINT NOT NULL,
    "expires_ms" BIGINT NOT NULL,
    "allowed" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "rate_buckets_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "rate_buckets_expires_ms_idx" ON "rate_buckets"("expires_ms");
