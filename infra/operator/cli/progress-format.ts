import { formatDuration } from './format';

/** A done/total pair. */
export interface Tally {
  readonly done: number;
  readonly total: number;
}

/**
 * What a progress line shows at one moment. `items` are what the command counts (runs, files,
 * partitions); `rows` and `bytes` are shown when the source knows them; `work` drives the rate behind
 * the ETA, in the source's own unit.
 */
export interface ProgressSnapshot {
  readonly items: Tally & { readonly label: string; readonly verb?: string; readonly failed?: number };
  readonly rows?: Tally;
  readonly bytes?: Tally;
  readonly work: Tally;
  /** Said instead of the counts while there is nothing to count yet (e.g. `waiting for the backfill stage`). */
  readonly note?: string;
}

/** What the line adds to a snapshot: time since the start, the display rate and the ETA. */
export interface ProgressTiming {
  readonly elapsedMs: number;
  /** Rows per second when the snapshot has rows, else bytes per second when it has bytes, else items per second. */
  readonly ratePerSecond?: number;
  readonly etaMs?: number;
}

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A whole number with thousands separators: `156,000`. */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** Bytes in decimal units with one decimal from kB up: `950 B`, `3.1 MB`. */
export function formatBytes(n: number): string {
  const units = ['kB', 'MB', 'GB', 'TB'];
  if (n < 1000) return `${Math.round(n)} B`;
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TB'}`;
}

/** A done/total byte pair in the total's unit: `3.1/10.2 MB`. */
export function formatByteTally(t: Tally): string {
  const total = formatBytes(t.total);
  const unit = total.replace(/^[\d.]+ /, '');
  const scale = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }[unit] ?? 1;
  return `${unit === 'B' ? Math.round(t.done) : (t.done / scale).toFixed(1)}/${total}`;
}

/** An ETA rounded for reading: `45 s`, `4 min 05 s`, `2 h 07 min`; `?` when there is none. */
export function formatEta(ms: number | undefined): string {
  if (ms === undefined) return '?';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

function formatRate(snapshot: ProgressSnapshot, perSecond: number): string {
  if (snapshot.rows) return `${formatCount(perSecond)} rows/s`;
  if (snapshot.bytes) return `${formatBytes(perSecond)}/s`;
  return `${perSecond < 10 ? perSecond.toFixed(1) : formatCount(perSecond)} ${snapshot.items.label}/s`;
}

/**
 * One progress line: `… 26.0 s: runs 37/120 done (2 failed) · rows 48,210/156,000 · 3.1/10.2 MB ·
 * 1,850 rows/s · ETA 45 s`. Rows, bytes and failures appear only when known, the rate once there is
 * one (`ETA ?` until then); without a snapshot (no source, or it could not be read) just the elapsed time.
 */
export function formatProgress(snapshot: ProgressSnapshot | undefined, timing: ProgressTiming): string {
  const head = `    … ${formatDuration(timing.elapsedMs)}: `;
  if (snapshot === undefined) return head.slice(0, -2);
  if (snapshot.note !== undefined) return `${head}${snapshot.note}`;
  const { items } = snapshot;
  const parts = [`${items.label} ${formatCount(items.done)}/${formatCount(items.total)}${items.verb ? ` ${items.verb}` : ''}${items.failed ? ` (${formatCount(items.failed)} failed)` : ''}`];
  if (snapshot.rows) parts.push(`rows ${formatCount(snapshot.rows.done)}/${formatCount(snapshot.rows.total)}`);
  if (snapshot.bytes) parts.push(formatByteTally(snapshot.bytes));
  if (timing.ratePerSecond !== undefined) parts.push(formatRate(snapshot, timing.ratePerSecond));
  parts.push(`ETA ${formatEta(timing.etaMs)}`);
  return head + parts.join(' · ');
}
