"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "../button";
import { LocalTime } from "../local-time";
import { TD, TR } from "../table";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { OpsList, ResolveWithNoteDialog } from "./ops-list";

type Row = { discrepancyId: string; orderId: string; lineId: string; sku: string; locationId: string; ours: number; theirs: number; detectedAt: string; resolvedAt: string | null; resolvedBy: string | null; resolutionNote: string | null };

/** SPEC §11: what the reconciliation with the warehouse (GET /wm/inventory/status) found, for a person to settle. */
export function InventoryDiscrepancies() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [includeResolved, setIncludeResolved] = useState(false);
  const [resolving, setResolving] = useState<Row | null>(null);
  const rows = useQuery(trpc.admin.operations.inventoryDiscrepancies.queryOptions({ includeResolved }, { refetchInterval: 30_000 }));
  const resolve = useMutation(
    trpc.admin.operations.resolveInventoryDiscrepancy.mutationOptions({
      onSuccess: async () => {
        toast.show("Marked resolved (recorded in the audit log).", "success");
        setResolving(null);
        await queryClient.invalidateQueries({ queryKey: trpc.admin.operations.inventoryDiscrepancies.queryKey() });
      },
    }),
  );
  return (
    <OpsList
      id="inventory-discrepancies"
      title="Warehouse differences"
      description="Lines where the units we count as released to the warehouse differ from what the warehouse says it holds. Nothing is corrected automatically."
      resolved={{ include: includeResolved, onChange: setIncludeResolved }}
      rows={rows}
      empty="No differences with the warehouse."
      caption="Found by the reconciliation, newest first"
      columns={[{ label: "Found" }, { label: "Order line" }, { label: "Item" }, { label: "Ours", numeric: true }, { label: "Warehouse", numeric: true }, { label: "Resolved" }]}
      row={(r) => (
        <TR key={r.discrepancyId}>
          <TD><LocalTime iso={r.detectedAt} /></TD>
          <TD>
            <Link href={`/orders/${r.orderId}`} className="text-blue-800 underline-offset-2 hover:underline">
              Line {r.lineId}
            </Link>
          </TD>
          <TD>
            {r.sku} at {r.locationId}
          </TD>
          <TD numeric>{r.ours}</TD>
          <TD numeric>{r.theirs}</TD>
          <TD>{r.resolvedAt ? (
            <>
              <LocalTime iso={r.resolvedAt} /> by {r.resolvedBy ?? "?"}: {r.resolutionNote ?? ""}
            </>
          ) : (
            "—"
          )}</TD>
          <TD>
            {!r.resolvedAt && (
              <Button variant="secondary" onClick={() => setResolving(r)}>
                Resolve<span className="sr-only"> line {r.lineId}</span>
              </Button>
            )}
          </TD>
        </TR>
      )}
    >
      <ResolveWithNoteDialog
        open={resolving !== null}
        title="Resolve the difference"
        description={resolving ? `${resolving.sku} at ${resolving.locationId}: we count ${resolving.ours} released, the warehouse holds ${resolving.theirs}. Say what was done about it.` : undefined}
        pending={resolve.isPending}
        error={resolve.isError ? resolve.error : null}
        onClose={() => setResolving(null)}
        onSubmit={(note) => resolving && resolve.mutate({ discrepancyId: resolving.discrepancyId, note })}
      />
    </OpsList>
  );
}
