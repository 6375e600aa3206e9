-- The rows that were there when 20261201180026_order_customer_phone_checks added its CHECKs NOT VALID
-- are checked here. VALIDATE CONSTRAINT scans orders under SHARE UPDATE EXCLUSIVE only: reads and
-- writes go on meanwhile. A row that breaks one fails this migration (nothing of it is kept): fix the
-- row and start again. Once it has run, pg_constraint.convalidated is true and pg_get_constraintdef
-- prints the constraints without NOT VALID, as server/db/check-constraints.ts lists them.
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_customer_phone_length";
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_customer_phone_digits_only";
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_customer_phone_digits_with_phone";
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_customer_phone_digits_of_phone";
