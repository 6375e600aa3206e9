-- Request counters of rate-limiter-flexible's RateLimiterPostgres (server/rest/rate-limit.ts),
-- shared by every app instance; the library's columns (key as text, not its varchar(255)).
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,
    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- An API key's own requests-per-minute limit; NULL: RATE_LIMIT_API_KEY_PER_MINUTE.
ALTER TABLE "api_keys" ADD COLUMN "rate_limit_per_minute" INTEGER;
