-- CreateEnum
CREATE TYPE "Role" AS ENUM ('customer_service_agent', 'store_manager', 'system_admin');
CREATE TYPE "OrderStatus" AS ENUM ('OPEN', 'PARTIALLY_CANCELLED', 'CANCELLED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'COMPLETED');
CREATE TYPE "TenderMethod" AS ENUM ('card', 'paypal', 'gift_card', 'store_credit');
CREATE TYPE "PaymentProvider" AS ENUM ('stripe', 'adyen', 'paypal', 'internal');
CREATE TYPE "CancellationStatus" AS ENUM ('pending_approval', 'rejected', 'processing', 'completed', 'failed', 'expired');
CREATE TYPE "RefundMethod" AS ENUM ('original', 'store_credit', 'manual');
CREATE TYPE "AllocationOperation" AS ENUM ('reversal', 'refund', 'store_credit', 'manual');
CREATE TYPE "AllocationStatus" AS ENUM ('pending', 'succeeded', 'failed', 'manual_required');
CREATE TYPE "ApprovalDecision" AS ENUM ('approved', 'rejected', 'expired');
CREATE TYPE "LedgerAccountKind" AS ENUM ('gift_card', 'store_credit');
CREATE TYPE "TaskStatus" AS ENUM ('open', 'done');

-- CreateTable
CREATE TABLE "stores" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stores_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "password_hash" TEXT NOT NULL,
    "totp_secret" TEXT,
    "is_service_user" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "locked_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "user_stores" (
    "user_id" UUID NOT NULL,
    "store_id" TEXT NOT NULL,
    CONSTRAINT "user_stores_pkey" PRIMARY KEY ("user_id","store_id")
);

CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "login_attempts" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "user_id" UUID,
    "success" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "store_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "customer_name" TEXT NOT NULL,
    "customer_email" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'OPEN',
    "version" INTEGER NOT NULL DEFAULT 1,
    "shipping_amount" INTEGER NOT NULL DEFAULT 0,
    "shipping_tax" INTEGER NOT NULL DEFAULT 0,
    "shipping_refunded" INTEGER NOT NULL DEFAULT 0,
    "shipping_tax_refunded" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "order_lines" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "line_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price" INTEGER NOT NULL,
    "discount" INTEGER NOT NULL DEFAULT 0,
    "tax" INTEGER NOT NULL DEFAULT 0,
    "order_discount_share" INTEGER NOT NULL DEFAULT 0,
    "shipped" INTEGER NOT NULL DEFAULT 0,
    "released" INTEGER NOT NULL DEFAULT 0,
    "cancelled" INTEGER NOT NULL DEFAULT 0,
    "pending_cancel" INTEGER NOT NULL DEFAULT 0,
    "net_refunded" INTEGER NOT NULL DEFAULT 0,
    "tax_refunded" INTEGER NOT NULL DEFAULT 0,
    "location_id" TEXT NOT NULL,
    CONSTRAINT "order_lines_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "order_discounts" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    CONSTRAINT "order_discounts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "tenders" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "tender_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "method" "TenderMethod" NOT NULL,
    "provider" "PaymentProvider" NOT NULL,
    "provider_reference" TEXT NOT NULL,
    "brand" TEXT,
    "last4" TEXT,
    "authorized" INTEGER NOT NULL,
    "captured" INTEGER NOT NULL DEFAULT 0,
    "reversed" INTEGER NOT NULL DEFAULT 0,
    "refunded" INTEGER NOT NULL DEFAULT 0,
    "reversal_held" INTEGER NOT NULL DEFAULT 0,
    "refund_held" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "tenders_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "inventory_reservations" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "location_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "released" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "inventory_reservations_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "cancellations" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "status" "CancellationStatus" NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "refund_method" "RefundMethod" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "subtotal" INTEGER NOT NULL,
    "discount" INTEGER NOT NULL,
    "tax" INTEGER NOT NULL,
    "shipping" INTEGER NOT NULL,
    "shipping_tax" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "preview_version" INTEGER NOT NULL,
    "approval_required" BOOLEAN NOT NULL,
    "approval_reasons" TEXT[],
    "requested_by_id" UUID NOT NULL,
    "api_key_id" UUID,
    "channel" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "correlation_id" UUID NOT NULL,
    "expires_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "cancellations_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "cancellation_items" (
    "id" UUID NOT NULL,
    "cancellation_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "line_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "subtotal" INTEGER NOT NULL,
    "discount" INTEGER NOT NULL,
    "merchandise" INTEGER NOT NULL,
    "tax" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    CONSTRAINT "cancellation_items_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "cancellation_allocations" (
    "id" UUID NOT NULL,
    "cancellation_id" UUID NOT NULL,
    "tender_id" UUID,
    "position" INTEGER NOT NULL,
    "operation" "AllocationOperation" NOT NULL,
    "amount" INTEGER NOT NULL,
    "status" "AllocationStatus" NOT NULL DEFAULT 'pending',
    "provider_reference" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "cancellation_allocations_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "approvals" (
    "id" UUID NOT NULL,
    "cancellation_id" UUID NOT NULL,
    "required_role" "Role" NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "decided_by_id" UUID,
    "note" TEXT,
    "decided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "cancellation_timeline" (
    "id" UUID NOT NULL,
    "cancellation_id" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "step" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    CONSTRAINT "cancellation_timeline_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "business_rules" (
    "id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "business_rules_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "idempotency_records" (
    "id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "entity" TEXT,
    "entity_id" TEXT,
    "order_id" TEXT,
    "ip" TEXT,
    "user_agent" TEXT,
    "channel" TEXT,
    "details" JSONB,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "outbox" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "order_id" TEXT,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ledger_accounts" (
    "id" UUID NOT NULL,
    "kind" "LedgerAccountKind" NOT NULL,
    "reference" TEXT NOT NULL,
    "customer_id" TEXT,
    "currency" CHAR(3) NOT NULL,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ledger_entries" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "cancellation_id" UUID,
    "memo" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "manual_refund_tasks" (
    "id" UUID NOT NULL,
    "cancellation_id" UUID NOT NULL,
    "tender_id" UUID,
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'open',
    "reference" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),
    CONSTRAINT "manual_refund_tasks_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "dead_letters" (
    "id" UUID NOT NULL,
    "cancellation_id" UUID,
    "step" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retried_at" TIMESTAMP(3),
    "resolved_at" TIMESTAMP(3),
    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "webhook_events" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");
CREATE INDEX "login_attempts_email_at_idx" ON "login_attempts"("email", "at");
CREATE INDEX "orders_store_id_idx" ON "orders"("store_id");
CREATE INDEX "orders_customer_email_idx" ON "orders"("customer_email");
CREATE UNIQUE INDEX "orders_channel_external_id_key" ON "orders"("channel", "external_id");
CREATE UNIQUE INDEX "order_lines_order_id_line_id_key" ON "order_lines"("order_id", "line_id");
CREATE UNIQUE INDEX "tenders_order_id_tender_id_key" ON "tenders"("order_id", "tender_id");
CREATE UNIQUE INDEX "inventory_reservations_order_line_id_location_id_key" ON "inventory_reservations"("order_line_id", "location_id");
CREATE INDEX "cancellations_order_id_created_at_idx" ON "cancellations"("order_id", "created_at");
CREATE INDEX "cancellations_status_idx" ON "cancellations"("status");
CREATE UNIQUE INDEX "cancellation_items_cancellation_id_order_line_id_key" ON "cancellation_items"("cancellation_id", "order_line_id");
CREATE UNIQUE INDEX "cancellation_allocations_cancellation_id_position_key" ON "cancellation_allocations"("cancellation_id", "position");
CREATE UNIQUE INDEX "approvals_cancellation_id_key" ON "approvals"("cancellation_id");
CREATE INDEX "cancellation_timeline_cancellation_id_at_idx" ON "cancellation_timeline"("cancellation_id", "at");
CREATE UNIQUE INDEX "business_rules_version_key" ON "business_rules"("version");
CREATE UNIQUE INDEX "idempotency_records_scope_key_key" ON "idempotency_records"("scope", "key");
CREATE INDEX "audit_log_order_id_idx" ON "audit_log"("order_id");
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");
CREATE INDEX "outbox_published_at_occurred_at_idx" ON "outbox"("published_at", "occurred_at");
CREATE UNIQUE INDEX "ledger_accounts_reference_key" ON "ledger_accounts"("reference");
CREATE UNIQUE INDEX "ledger_entries_idempotency_key_key" ON "ledger_entries"("idempotency_key");
CREATE UNIQUE INDEX "webhook_events_provider_event_id_key" ON "webhook_events"("provider", "event_id");

-- AddForeignKey
ALTER TABLE "user_stores" ADD CONSTRAINT "user_stores_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "user_stores" ADD CONSTRAINT "user_stores_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "orders" ADD CONSTRAINT "orders_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "order_discounts" ADD CONSTRAINT "order_discounts_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "tenders" ADD CONSTRAINT "tenders_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "inventory_reservations" ADD CONSTRAINT "inventory_reservations_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "inventory_reservations" ADD CONSTRAINT "inventory_reservations_order_line_id_fkey" FOREIGN KEY ("order_line_id") REFERENCES "order_lines"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "cancellations" ADD CONSTRAINT "cancellations_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cancellations" ADD CONSTRAINT "cancellations_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cancellation_items" ADD CONSTRAINT "cancellation_items_cancellation_id_fkey" FOREIGN KEY ("cancellation_id") REFERENCES "cancellations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "cancellation_items" ADD CONSTRAINT "cancellation_items_order_line_id_fkey" FOREIGN KEY ("order_line_id") REFERENCES "order_lines"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cancellation_allocations" ADD CONSTRAINT "cancellation_allocations_cancellation_id_fkey" FOREIGN KEY ("cancellation_id") REFERENCES "cancellations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "cancellation_allocations" ADD CONSTRAINT "cancellation_allocations_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tenders"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_cancellation_id_fkey" FOREIGN KEY ("cancellation_id") REFERENCES "cancellations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "cancellation_timeline" ADD CONSTRAINT "cancellation_timeline_cancellation_id_fkey" FOREIGN KEY ("cancellation_id") REFERENCES "cancellations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "business_rules" ADD CONSTRAINT "business_rules_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "manual_refund_tasks" ADD CONSTRAINT "manual_refund_tasks_cancellation_id_fkey" FOREIGN KEY ("cancellation_id") REFERENCES "cancellations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is append-only: no row is ever changed or removed.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
