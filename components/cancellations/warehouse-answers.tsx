import { Badge } from "../badge";
import type { CancellationView } from "../orders/types";
import { Table, TBody, TD, TH, THead, TR } from "../table";

const OUTCOME: Record<string, { label: string; tone: "success" | "warning" | "danger" }> = {
  confirmed: { label: "Stopped", tone: "success" },
  partial: { label: "Partly stopped", tone: "warning" },
  refused: { label: "Not stopped", tone: "danger" },
  timed_out: { label: "No answer in time", tone: "danger" },
};

/** SPEC §11: per line, what the warehouse was asked to stop and what it answered. */
export function WarehouseAnswers({ warehouse, lineName, money }: { warehouse: NonNullable<CancellationView["warehouse"]>; lineName: (id: string) => string; money: (a: string) => string }) {
  const waiting = warehouse.lines.some((l) => l.outcome === null);
  return (
    <section aria-labelledby="warehouse-heading" className="space-y-2">
      <h2 id="warehouse-heading" className="text-lg font-semibold">
        The warehouse
      </h2>
      <p className="text-sm text-slate-700">
        {waiting
          ? `These units were already released for picking; the warehouse is asked to stop them. The refund is up to ${warehouse.refundUpTo ? money(warehouse.refundUpTo) : "the preview's amount"} until it answers.`
          : `The refund covers only the units the warehouse stopped${warehouse.refundUpTo ? ` (it was up to ${money(warehouse.refundUpTo)})` : ""}; the others stay released and will ship.`}
      </p>
      <Table label="The warehouse's answer per line">
        <THead>
          <TR>
            <TH>Item</TH>
            <TH numeric>Asked</TH>
            <TH numeric>Stopped</TH>
            <TH>Answer</TH>
          </TR>
        </THead>
        <TBody>
          {warehouse.lines.map((l) => (
            <TR key={l.orderLineId}>
              <TD>
                <div>{lineName(l.orderLineId)}</div>
                <div className="text-xs text-slate-600">
                  {l.sku} at {l.locationId}
                </div>
              </TD>
              <TD numeric>{l.requested}</TD>
              <TD numeric>{l.stopped ?? "—"}</TD>
              <TD>
                <span data-testid={`warehouse-answer-${l.orderLineId}`}>
                  {l.outcome ? <Badge tone={OUTCOME[l.outcome]?.tone ?? "warning"}>{OUTCOME[l.outcome]?.label ?? l.outcome}</Badge> : <Badge tone="info">Waiting</Badge>}
                </span>
                {l.notStopped ? <div className="text-xs text-slate-600">{l.notStopped} will ship</div> : null}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </section>
  );
}
