import { Button } from "../button";
import { OrderLinesTable } from "../orders/order-lines-table";
import type { OrderView } from "../orders/types";

export function lineName(line: { description: string; sku: string }) {
  return line.description || line.sku;
}

/** Units an agent may name on a line: the cancellable ones and, by asking the warehouse (SPEC §11), the released ones. */
export function selectableQuantity(line: { cancellable: number; released: number }) {
  return line.cancellable + line.released;
}

/**
 * The order's lines with the quantities to cancel in the same rows (issue 15: one screen, each line
 * listed once), and "All remaining on the order" / "Clear selection" for the whole order.
 */
export function LineSelection({
  order,
  quantityOf,
  onChange,
}: {
  order: OrderView;
  quantityOf: (lineId: string) => number;
  onChange: (next: Record<string, number>) => void;
}) {
  const current = () => Object.fromEntries(order.lines.map((l) => [l.lineId, quantityOf(l.lineId)]));
  const anyCancellable = order.lines.some((l) => l.cancellable > 0);
  const anyChosen = order.lines.some((l) => quantityOf(l.lineId) > 0);
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="lines-heading" className="text-lg font-semibold">
          Lines <span className="text-sm font-normal text-slate-600">· choose what to cancel</span>
        </h2>
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            disabled={!anyCancellable}
            onClick={() => onChange(Object.fromEntries(order.lines.map((l) => [l.lineId, l.cancellable])))}
          >
            All remaining on the order
          </Button>
          <Button variant="ghost" disabled={!anyChosen} onClick={() => onChange({})}>
            Clear selection
          </Button>
        </div>
      </div>
      <OrderLinesTable order={order} selection={{ quantityOf, set: (lineId, n) => onChange({ ...current(), [lineId]: n }) }} />
    </div>
  );
}
