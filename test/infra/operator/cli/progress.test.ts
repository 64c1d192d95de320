import { progressMode, withProgress } from '../../../../infra/operator/cli/progress';
import type { ProgressSnapshot } from '../../../../infra/operator/cli/progress-format';
import type { CliContext } from '../../../../infra/operator/cli/cli-context';

/** A context whose stderr is a fake terminal (or not), recording lines and raw writes. */
function context(isTTY: boolean): { ctx: CliContext; lines: string[]; writes: string[] } {
  const lines: string[] = [];
  const writes: string[] = [];
  return { lines, writes, ctx: { home: () => '/nowhere', out: () => undefined, err: (l) => void lines.push(l), progress: { isTTY, columns: 200, write: (t) => void writes.push(t) } } };
}

/** Files dropped at 100 bytes per second of fake time, 10 files of 100 bytes. */
function droppingSource(): () => Promise<ProgressSnapshot> {
  const start = Date.now();
  return async () => {
    const files = Math.min(10, Math.floor((Date.now() - start) / 1000));
    const bytes = { done: files * 100, total: 1000 };
    return { items: { label: 'files', verb: 'dropped', done: files, total: 10 }, bytes, work: bytes };
  };
}

function deferred(): { promise: Promise<string>; finish: () => void } {
  let finish: () => void = () => undefined;
  const promise = new Promise<string>((resolve) => (finish = () => resolve('done')));
  return { promise, finish };
}

describe('withProgress', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('prints one line every 5 s when stderr is not a terminal, with counts, rate and ETA, and a last line at the end', async () => {
    const { ctx, lines, writes } = context(false);
    const work = deferred();
    const shown = withProgress(ctx, droppingSource(), work.promise, { env: {} });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(lines).toEqual([
      '    … 5.0 s: files 5/10 dropped · 0.5/1.0 kB · 100 B/s · ETA 5 s',
      '    … 10.0 s: files 10/10 dropped · 1.0/1.0 kB · 100 B/s · ETA 0 s',
    ]);
    work.finish();
    await expect(shown).resolves.toBe('done');
    expect(lines).toHaveLength(3);
    expect(writes).toEqual([]);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(lines).toHaveLength(3);
  });

  it('redraws one line in place every second on a terminal and ends it with a newline', async () => {
    const { ctx, lines, writes } = context(true);
    const work = deferred();
    const shown = withProgress(ctx, droppingSource(), work.promise, { env: {} });
    await jest.advanceTimersByTimeAsync(3000);
    work.finish();
    await shown;
    expect(lines).toEqual([]);
    expect(writes.slice(0, 3)).toEqual([
      '\r\x1b[2K    … 1.0 s: files 1/10 dropped · 0.1/1.0 kB · 100 B/s · ETA 9 s',
      '\r\x1b[2K    … 2.0 s: files 2/10 dropped · 0.2/1.0 kB · 100 B/s · ETA 8 s',
      '\r\x1b[2K    … 3.0 s: files 3/10 dropped · 0.3/1.0 kB · 100 B/s · ETA 7 s',
    ]);
    expect(writes.slice(-1)).toEqual(['\n']);
  });

  it('cuts the line to the width of the terminal', async () => {
    const writes: string[] = [];
    const ctx: CliContext = { home: () => '/nowhere', out: () => undefined, err: () => undefined, progress: { isTTY: true, columns: 41, write: (t) => void writes.push(t) } };
    const work = deferred();
    const shown = withProgress(ctx, droppingSource(), work.promise, { env: {} });
    await jest.advanceTimersByTimeAsync(1000);
    work.finish();
    await shown;
    expect(writes[0]).toBe('\r\x1b[2K    … 1.0 s: files 1/10 dropped · 0.1/1…');
  });

  it('shows nothing when the work ends within the first interval, or the command prints JSON', async () => {
    const quick = context(false);
    await withProgress(quick.ctx, droppingSource(), Promise.resolve(1), { env: {} });
    const json = context(true);
    const work = deferred();
    const shown = withProgress(json.ctx, droppingSource(), work.promise, { json: true, env: {} });
    await jest.advanceTimersByTimeAsync(30_000);
    work.finish();
    await shown;
    expect([...quick.lines, ...quick.writes, ...json.lines, ...json.writes]).toEqual([]);
  });

  it('shows the elapsed time alone when the source cannot be read, and the ETA as ? while nothing moves', async () => {
    const { ctx, lines } = context(false);
    const work = deferred();
    let calls = 0;
    const source = async (): Promise<ProgressSnapshot> => {
      calls += 1;
      if (calls === 2) throw new Error('run store unavailable');
      return { items: { label: 'runs', verb: 'done', done: 0, total: 4 }, rows: { done: 0, total: 80 }, work: { done: 0, total: 4 } };
    };
    const shown = withProgress(ctx, source, work.promise, { env: {} });
    await jest.advanceTimersByTimeAsync(10_000);
    work.finish();
    await shown;
    expect(lines).toEqual(['    … 5.0 s', '    … 10.0 s: runs 0/4 done · rows 0/80 · 0 rows/s · ETA ?', '    … 10.0 s: runs 0/4 done · rows 0/80 · 0 rows/s · ETA ?']);
  });
});

describe('withProgress settings', () => {
  it('says a bad TRIBUTARY_PROGRESS or interval once and uses the default, since the work has started', async () => {
    const { ctx, lines } = context(false);
    await withProgress(ctx, undefined, Promise.resolve('done'), { env: { TRIBUTARY_PROGRESS: 'loud', TRIBUTARY_PROGRESS_INTERVAL: '-1' } });
    expect(lines).toEqual([
      'tributary: TRIBUTARY_PROGRESS must be off, lines, tty or auto, got "loud"; using the default',
      'tributary: TRIBUTARY_PROGRESS_INTERVAL must be a number of seconds > 0, got "-1"; using the default',
    ]);
  });
});

describe('progressMode', () => {
  it('follows the terminal unless TRIBUTARY_PROGRESS says otherwise, and names a bad value', () => {
    expect(progressMode({ isTTY: true }, { env: {} })).toBe('tty');
    expect(progressMode({ isTTY: false }, { env: {} })).toBe('lines');
    expect(progressMode(undefined, { env: { TRIBUTARY_PROGRESS: 'auto' } })).toBe('lines');
    expect(progressMode({ isTTY: true }, { env: { TRIBUTARY_PROGRESS: 'lines' } })).toBe('lines');
    expect(progressMode({ isTTY: true }, { env: { TRIBUTARY_PROGRESS: 'off' } })).toBe('off');
    expect(progressMode({ isTTY: true }, { json: true, env: { TRIBUTARY_PROGRESS: 'tty' } })).toBe('off');
    expect(() => progressMode({ isTTY: true }, { env: { TRIBUTARY_PROGRESS: 'loud' } })).toThrow('TRIBUTARY_PROGRESS must be off, lines, tty or auto, got "loud"');
  });
});
