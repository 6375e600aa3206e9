/**
 * The calendar dates a filter may name (inclusive, ISO `YYYY-MM-DD`). PostgreSQL has no year 0
 * and JS dates end in 275760, so `0000-01-01` or `9999-12-31` would reach the database as an
 * error or as nonsense; outside this range a filter is a 400, not a query.
 */
export const EARLIEST_FILTER_DATE = "2000-01-01";
export const LATEST_FILTER_DATE = "2199-12-31";

export const DATE_RANGE_MESSAGE = `a date between ${EARLIEST_FILTER_DATE} and ${LATEST_FILTER_DATE}`;

/** For a valid ISO date string: whether it lies in the range (ISO dates sort as strings). */
export function isFilterDate(isoDate: string): boolean {
  return isoDate >= EARLIEST_FILTER_DATE && isoDate <= LATEST_FILTER_DATE;
}
