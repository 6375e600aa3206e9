-- migrate: no transaction
-- The phone search matches the end of the digits (LIKE '%<digits>': the last 4 or more, or the whole
-- number with or without its country code); a trigram GIN index serves a pattern with a leading
-- wildcard, as for the other text matches. Built CONCURRENTLY so that writes to orders go on while it
-- is built (README "Indexes on a live database"); IF NOT EXISTS: a database that already has it (it
-- was once part of 20261201173512_order_customer_phone) skips it. A failed build leaves an INVALID
-- index: DROP INDEX CONCURRENTLY it and start again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_customer_phone_digits_trgm_idx" ON "orders" USING GIN ("customer_phone_digits" gin_trgm_ops);
