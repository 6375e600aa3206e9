-- CreateTable
CREATE TABLE "embed_clients" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_ciphertext" TEXT NOT NULL,
    "allowed_origins" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "embed_clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "embed_token_uses" (
    "client_id" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "used_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "embed_token_uses_pkey" PRIMARY KEY ("client_id", "jti")
);

-- CreateIndex
CREATE INDEX "embed_token_uses_expires_at_idx" ON "embed_token_uses"("expires_at");

-- AddForeignKey
ALTER TABLE "embed_token_uses" ADD CONSTRAINT "embed_token_uses_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "embed_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
