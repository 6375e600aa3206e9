"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDebouncedValue } from "../use-debounced-value";
import type { CancellationRequest, PreviewView } from "../orders/types";
import { useTRPC } from "../trpc";

// SPEC §9 / issue 14: the preview is on screen < 150 ms after the last keystroke at light load,
// so the debounce leaves the server (≈ 10–20 ms) and React most of that budget.
const DEBOUNCE_MS = 75;

/**
 * The live preview for `request` (null: nothing chosen). Queries are keyed by the selection, so
 * an answer for an older selection can never be shown as the answer for the newer one; while the
 * newest is on its way, the last answer stays on screen marked as updating.
 */
export function useRefundPreview(orderId: string, request: CancellationRequest | null) {
  const trpc = useTRPC();
  // Debounce the serialised request: a string settles, an object would be new on every render.
  const key = JSON.stringify(request);
  const settledKey = useDebouncedValue(key, DEBOUNCE_MS);
  const settled = JSON.parse(settledKey) as CancellationRequest | null;
  const query = useQuery({
    ...trpc.cancellation.preview.queryOptions({ orderId, request: settled ?? EMPTY }),
    enabled: settled !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 0,
  });
  const updating = key !== settledKey || query.isPlaceholderData || query.isFetching;
  const preview: PreviewView | undefined = request === null ? undefined : query.data;
  return {
    preview,
    error: request !== null && !updating && query.isError ? query.error : null,
    updating: request !== null && updating,
    /** The preview on screen is the answer for exactly the current selection. */
    fresh: request !== null && !updating && query.isSuccess,
  };
}

const EMPTY: CancellationRequest = { orderLineIds: [], quantities: [], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
