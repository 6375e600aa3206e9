import { appErrorOf, describeAppError } from "../app-error";
import { lineName } from "./line-selection";

type NamedLine = { lineId: string; description: string; sku: string };

/**
 * describeAppError for the order screen: the API names lines by their channel id (SPEC §7), the
 * agent knows them by product, so `Line "A"` becomes "Oxford shirt, red, M".
 */
export function describeOrderError(error: unknown, lines: readonly NamedLine[]): string {
  const info = appErrorOf(error);
  if (!info) return "";
  const nameOf = (id: string) => {
    const line = lines.find((l) => l.lineId === id);
    return line ? lineName(line) : `item ${id}`;
  };
  const d = (info.details ?? {}) as { lineId?: unknown; requested?: unknown; cancellable?: unknown; released?: unknown };
  if (info.code === "QUANTITY_EXCEEDS_CANCELLABLE" && typeof d.lineId === "string" && typeof d.requested === "number" && typeof d.cancellable === "number") {
    const released = typeof d.released === "number" && d.released > 0 ? ` (and ${d.released} released to the warehouse)` : "";
    return `${nameOf(d.lineId)}: ${d.requested} chosen, but only ${d.cancellable} can be cancelled now${released}.`;
  }
  return describeAppError(error).replace(/\b[Ll]ine "([^"]*)"/g, (_, id: string) => nameOf(id));
}
