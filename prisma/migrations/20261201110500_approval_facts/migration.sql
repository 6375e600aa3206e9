-- The numbers behind an approval gate as the requester's preview showed them (limit, whose limit,
-- the excess, the velocity counters), kept with the request so that the approval queue can say
-- "$612.40 — $112.40 over the agent's limit" without recomputing against rules that may have changed.
ALTER TABLE "cancellations" ADD COLUMN "approval_facts" JSONB;
