-- The W3C trace context of the transaction that wrote an outbox event (issue 20, point 3): the
-- relay publishes the event in a PRODUCER span continuing it and sends it on in the message's
-- `traceparent`/`tracestate` headers. NULL for events written without an active trace.
ALTER TABLE "outbox" ADD COLUMN "traceparent" TEXT;
ALTER TABLE "outbox" ADD COLUMN "tracestate" TEXT;
