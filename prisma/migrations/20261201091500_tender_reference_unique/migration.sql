-- A provider's payment reference pays one order (issue 12). Gift cards and store credit (provider
-- internal) may pay several orders of their one customer, so the index leaves them out; schema.prisma
-- cannot express a partial index, so server/db/check-constraints.ts lists it for the drift test.
CREATE UNIQUE INDEX "tenders_provider_reference_key" ON "tenders" ("provider", "provider_reference") WHERE "provider" <> 'internal';
