import type { CliContext, ProgressStream } from './cli-context';
import { etaMs, RateWindow } from './progress-estimate';
import { formatProgress, type ProgressSnapshot } from './progress-format';

/** How progress is shown: off, one line per interval (logs, pipes), or one line redrawn in place (a terminal). */
export const ProgressMode = { Off: 'off', Lines: 'lines', Tty: 'tty' } as const;
/** One progress mode. */
export type ProgressMode = (typeof ProgressMode)[keyof typeof ProgressMode];

/** Reads what is done so far; called once at the start (the baseline) and then once per interval. */
export type ProgressSource = () => Promise<ProgressSnapshot>;

/** Redraw interval on a terminal, and line interval elsewhere (a log gets a line every 5 s, not a flood). */
const INTERVAL_MS = { [ProgressMode.Tty]: 1000, [ProgressMode.Lines]: 5000 } as const;
/** A slow read (many runs) waits at least twice its own duration before the next, so progress never crowds the pipeline. */
const BACKOFF = 2;

/** Options of `withProgress`. */
export interface ProgressOptions {
  /** The command prints JSON on stdout: no progress at all, so a pipe gets nothing but the JSON. */
  readonly json?: boolean;
  /** The environment (`TRIBUTARY_PROGRESS`, `TRIBUTARY_PROGRESS_INTERVAL`); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The clock; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The mode for a command: off for JSON output or `TRIBUTARY_PROGRESS=off`; `lines` or `tty` when
 * `TRIBUTARY_PROGRESS` says so; else redrawn in place when the stream is a terminal, one line per
 * interval when it is not (a log or a pipe stays readable). Throws naming a bad `TRIBUTARY_PROGRESS`.
 */
export function progressMode(stream: Pick<ProgressStream, 'isTTY'> | undefined, options: ProgressOptions = {}): ProgressMode {
  if (options.json) return ProgressMode.Off;
  const asked = (options.env ?? process.env)['TRIBUTARY_PROGRESS'];
  if (asked === undefined || asked === '' || asked === 'auto') return stream?.isTTY === true ? ProgressMode.Tty : ProgressMode.Lines;
  if (asked === ProgressMode.Off || asked === ProgressMode.Lines || asked === ProgressMode.Tty) return asked;
  throw new Error(`TRIBUTARY_PROGRESS must be off, lines, tty or auto, got ${JSON.stringify(asked)}`);
}

function intervalOf(mode: typeof ProgressMode.Lines | typeof ProgressMode.Tty, env: Readonly<Record<string, string | undefined>>): number {
  const text = env['TRIBUTARY_PROGRESS_INTERVAL'];
  if (text === undefined || text === '') return INTERVAL_MS[mode];
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`TRIBUTARY_PROGRESS_INTERVAL must be a number of seconds > 0, got ${JSON.stringify(text)}`);
  return seconds * 1000;
}

/**
 * Shows progress on stderr while `work` runs: runs (or files, partitions) done of all, rows and bytes
 * done, the rate and an ETA, from `source` (just the elapsed time without one). On a terminal the line
 * is redrawn in place every second; elsewhere one line every 5 s. Nothing is shown when `work` ends
 * within the first interval; otherwise a last line with the final counts follows. Reads never overlap,
 * and a slow read spaces the next ones out.
 */
export async function withProgress<T>(ctx: CliContext, source: ProgressSource | undefined, work: Promise<T>, options: ProgressOptions = {}): Promise<T> {
  const env = options.env ?? process.env;
  // The work has started already: a bad setting is said once and the default used, never thrown.
  const mode = settled(ctx, () => progressMode(ctx.progress, options), () => progressMode(ctx.progress, { ...options, env: {} }));
  if (mode === ProgressMode.Off) return work;
  const interval = settled(ctx, () => intervalOf(mode, env), () => intervalOf(mode, {}));
  const now = options.now ?? Date.now;
  const started = now();
  const display = new RateWindow();
  const effort = new RateWindow();
  let shown = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const line = async (): Promise<string> => {
    const snapshot = await source?.().catch(() => undefined);
    const at = now();
    if (snapshot === undefined) return formatProgress(undefined, { elapsedMs: at - started });
    display.add({ at, done: snapshot.rows?.done ?? snapshot.bytes?.done ?? snapshot.items.done });
    effort.add({ at, done: snapshot.work.done });
    const rate = display.rate();
    return formatProgress(snapshot, { elapsedMs: at - started, ...(rate === undefined ? {} : { ratePerSecond: rate }), ...withEta(etaMs(snapshot.work.total - snapshot.work.done, effort.rate())) });
  };
  const draw = (text: string): void => {
    shown += 1;
    if (mode === ProgressMode.Tty && ctx.progress) {
      // A terminal that reports no width (0 under some multiplexers) gets 120 columns.
      const columns = ctx.progress.columns ?? 0;
      const width = columns >= 20 ? columns - 1 : 119;
      ctx.progress.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    } else ctx.err(text);
  };
  const tick = async (): Promise<void> => {
    const t0 = now();
    const text = await line();
    if (stopped) return;
    draw(text);
    timer = setTimeout(() => void tick(), Math.max(interval, BACKOFF * (now() - t0)));
  };

  // The baseline (what was done before the work started, and the rate's first sample), then the ticks.
  const baseline = line();
  timer = setTimeout(() => void baseline.then(tick), interval);
  let ok = false;
  try {
    const result = await work;
    ok = true;
    return result;
  } finally {
    stopped = true;
    clearTimeout(timer);
    if (shown > 0) {
      if (ok) draw(await line());
      if (mode === ProgressMode.Tty && ctx.progress) ctx.progress.write('\n');
    }
  }
}

function settled<T>(ctx: CliContext, read: () => T, fallback: () => T): T {
  try {
    return read();
  } catch (error) {
    ctx.err(`tributary: ${error instanceof Error ? error.message : String(error)}; using the default`);
    return fallback();
  }
}

function withEta(eta: number | undefined): { etaMs?: number } {
  return eta === undefined ? {} : { etaMs: eta };
}
