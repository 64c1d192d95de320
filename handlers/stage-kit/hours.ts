import type { Partition } from '../../contracts/domain-events';

const HOUR_MS = 3_600_000;

/** The hour containing an instant, as epoch milliseconds (UTC). */
export function hourStart(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(iso)}`);
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** Every hour start from `fromMs` to `toMs` inclusive. */
export function hoursBetween(fromMs: number, toMs: number): number[] {
  const hours: number[] = [];
  for (let h = Math.floor(fromMs / HOUR_MS) * HOUR_MS; h <= toMs; h += HOUR_MS) hours.push(h);
  return hours;
}

/** `YYYY-MM-DD HH:00:00`, the literal the dataset SQL takes for hour windows (UTC). */
export function sqlHour(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13).replace('T', ' ') + ':00:00';
}

/** The partition value map of an hour (or a day or month start) under the manifest's keys (year, month[, day[, hour]]). */
export function partitionOfHour(ms: number, keys: readonly string[]): Partition {
  const iso = new Date(ms).toISOString();
  const values = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13)];
  const partition: Record<string, string> = {};
  keys.forEach((key, i) => {
    const value = values[i];
    if (value !== undefined) partition[key] = value;
  });
  return partition;
}

/** The start of the hour, day or month a partition value map stands for (inverse of partitionOfHour). */
export function hourOfPartition(partition: Partition, keys: readonly string[]): number {
  const [y, m, d, h] = keys.map((k) => partition[k] ?? '00');
  return Date.UTC(Number(y), Number(m ?? '1') - 1, Number(d ?? '1'), Number(h ?? '0'));
}

/** The `k=v/…` path of a partition, in key order. */
export function partitionPath(partition: Partition, keys: readonly string[]): string {
  return keys.map((k) => `${k}=${partition[k] ?? ''}`).join('/');
}

/**
 * Splits sorted, distinct hours into windows of consecutive hours, each at most `maxHours` long, so
 * one write never touches more partitions than Athena allows open (100).
 */
export function hourWindows(hours: readonly number[], maxHours: number): { start: number; end: number; hours: number[] }[] {
  const sorted = [...new Set(hours)].sort((a, b) => a - b);
  const windows: { start: number; end: number; hours: number[] }[] = [];
  for (const h of sorted) {
    const last = windows[windows.length - 1];
    if (last && h === last.end && last.hours.length < maxHours) {
      last.hours.push(h);
      last.end = h + HOUR_MS;
    } else windows.push({ start: h, end: h + HOUR_MS, hours: [h] });
  }
  return windows;
}

export { HOUR_MS };
