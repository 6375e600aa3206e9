-- A customer phone on the order (issue 15, point 8: search by phone). The number as the channel
-- gave it, and its digits only, which importOrder writes with it. Both nullable without a default:
-- adding them changes only the catalog, no row is rewritten or scanned. Their trigram index is built
-- CONCURRENTLY by 20261201173513_order_customer_phone_index, their CHECKs by
-- 20261201180026_order_customer_phone_checks and 20261201180027_validate_order_customer_phone_checks.
ALTER TABLE "orders" ADD COLUMN "customer_phone" TEXT;
ALTER TABLE "orders" ADD COLUMN "customer_phone_digits" TEXT;
