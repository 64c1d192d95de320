/**
 * Epoch milliseconds of an event time as a query prints it: ISO-8601, and text without a zone
 * (`2026-01-05 10:00:00`, as Athena and DuckDB print a timestamp, or a bare date) is UTC — never the
 * machine's local zone. NaN when it does not parse.
 */
export function eventTimeMs(time: string): number {
  const naive = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(time.trim());
  return naive === null ? Date.parse(time) : Date.parse(`${naive[1] ?? ''}T${naive[2] ?? '00:00'}Z`);
}
