-- The shipping the saga added to a fully cancelled order (SPEC §3) that the tenders could not take
-- (INSUFFICIENT_REFUNDABLE): a manual-refund task, so a person returns it.
ALTER TYPE "ManualTaskOrigin" ADD VALUE 'shipping_unrefundable';
