import { Button } from "../button";
import type { OrderView } from "../orders/types";
import { Stepper } from "../stepper";

export function lineName(line: { description: string; sku: string }) {
  return line.description || line.sku;
}

/** One stepper per line, 0 to its cancellable quantity, with "All remaining" per line and for the order. */
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
    <fieldset>
      <legend className="text-sm font-semibold">Quantities to cancel</legend>
      <div className="mt-2 flex flex-wrap gap-2">
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
      <ul className="mt-3 divide-y divide-slate-100 rounded-md border border-slate-200">
        {order.lines.map((l) => (
          <li key={l.lineId} className="flex flex-wrap items-center justify-between gap-3 p-3">
            <div className="min-w-0 flex-1 basis-40">
              <div className="font-medium">{lineName(l)}</div>
              <div className="text-xs text-slate-600">
                Line {l.lineId} · {l.cancellable} of {l.quantity} cancellable
              </div>
            </div>
            <div className="flex items-start gap-2">
              <Stepper
                id={`cancel-qty-${l.lineId}`}
                label={`Quantity to cancel, ${lineName(l)}`}
                value={quantityOf(l.lineId)}
                max={l.cancellable}
                disabled={l.cancellable === 0}
                onChange={(n) => onChange({ ...current(), [l.lineId]: n })}
              />
              <Button
                variant="ghost"
                className="whitespace-nowrap"
                disabled={l.cancellable === 0 || quantityOf(l.lineId) === l.cancellable}
                onClick={() => onChange({ ...current(), [l.lineId]: l.cancellable })}
              >
                All remaining<span className="sr-only"> of {lineName(l)}</span>
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
