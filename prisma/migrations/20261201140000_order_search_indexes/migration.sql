-- The order search (issue 15, point 8) matches parts of external ids, customer names and emails,
-- SKUs and product descriptions with ILIKE '%…%': trigram GIN indexes serve those (pg_trgm ships
-- with PostgreSQL's contrib modules, the embedded server's included, and is a trusted extension).
-- A card's last 4 is matched exactly. The short id is a range of the primary key.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "orders_external_id_trgm_idx" ON "orders" USING GIN ("external_id" gin_trgm_ops);
CREATE INDEX "orders_customer_name_trgm_idx" ON "orders" USING GIN ("customer_name" gin_trgm_ops);
CREATE INDEX "orders_customer_email_trgm_idx" ON "orders" USING GIN ("customer_email" gin_trgm_ops);
CREATE INDEX "order_lines_sku_trgm_idx" ON "order_lines" USING GIN ("sku" gin_trgm_ops);
CREATE INDEX "order_lines_description_trgm_idx" ON "order_lines" USING GIN ("description" gin_trgm_ops);
CREATE INDEX "tenders_last4_idx" ON "tenders" ("last4");
-- Newest first, the default order of every search page.
CREATE INDEX "orders_created_at_idx" ON "orders" ("created_at");
