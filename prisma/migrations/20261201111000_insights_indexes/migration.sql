-- Insights (issue 16) read cancellations by a range of created_at, and the agents' unusual
-- patterns by requester within it.
CREATE INDEX "cancellations_created_at_idx" ON "cancellations" ("created_at");
CREATE INDEX "cancellations_requested_by_id_created_at_idx" ON "cancellations" ("requested_by_id", "created_at");
