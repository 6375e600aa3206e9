-- SPEC §6: the requester withdraws a pending request (POST /api/v1/cancellations/{id}/withdraw).
ALTER TYPE "CancellationStatus" ADD VALUE IF NOT EXISTS 'withdrawn';
