-- CreateTable
CREATE TABLE "staff_notices" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "cancellation_id" UUID,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "href" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMP(3),
    CONSTRAINT "staff_notices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "staff_notices_event_id_user_id_key" ON "staff_notices"("event_id", "user_id");

-- CreateIndex
CREATE INDEX "staff_notices_user_id_created_at_idx" ON "staff_notices"("user_id", "created_at");

-- AddForeignKey
ALTER TABLE "staff_notices" ADD CONSTRAINT "staff_notices_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
