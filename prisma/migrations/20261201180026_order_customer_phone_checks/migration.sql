-- The customer phone's invariants, refused by the database itself (as in 20261201074500_check_constraints;
-- listed in server/db/check-constraints.ts for the schema-drift test). importOrder writes the phone as
-- the channel gave it (at most 40 characters) with its digits (5 to 15 of them, the import's rule); a
-- digits copy that is missing, stale or not digits would make the phone search miss the order or find
-- another customer's.
-- NOT VALID: added without scanning orders, so the ACCESS EXCLUSIVE lock this takes is held for a
-- moment only; every row written from now on is checked. The rows already there are checked by
-- 20261201180027_validate_order_customer_phone_checks, in a transaction of its own.
ALTER TABLE "orders"
  ADD CONSTRAINT "orders_customer_phone_length"
    CHECK (char_length("customer_phone") <= 40) NOT VALID,
  ADD CONSTRAINT "orders_customer_phone_digits_only"
    CHECK ("customer_phone_digits" ~ '^[0-9]{5,15}$') NOT VALID,
  ADD CONSTRAINT "orders_customer_phone_digits_with_phone"
    CHECK (("customer_phone" IS NULL) = ("customer_phone_digits" IS NULL)) NOT VALID,
  ADD CONSTRAINT "orders_customer_phone_digits_of_phone"
    CHECK ("customer_phone_digits" = regexp_replace("customer_phone", '[^0-9]', '', 'g')) NOT VALID;
