import { formatByteTally, formatBytes, formatCount, formatEta, formatProgress, type ProgressSnapshot } from '../../../../infra/operator/cli/progress-format';

describe('progress formatting', () => {
  it('writes counts with separators, bytes in decimal units, and a byte pair in its total unit', () => {
    expect(formatCount(156000)).toBe('156,000');
    expect(formatCount(1849.6)).toBe('1,850');
    expect([formatBytes(950), formatBytes(40_500), formatBytes(10_200_000), formatBytes(3.25e9)]).toEqual(['950 B', '40.5 kB', '10.2 MB', '3.3 GB']);
    expect(formatByteTally({ done: 3_100_000, total: 10_200_000 })).toBe('3.1/10.2 MB');
    expect(formatByteTally({ done: 0, total: 40_500 })).toBe('0.0/40.5 kB');
    expect(formatByteTally({ done: 12, total: 900 })).toBe('12/900 B');
  });

  it('rounds an ETA up to whole seconds, then minutes and hours; ? without one', () => {
    expect([formatEta(0), formatEta(44_100), formatEta(245_000), formatEta(7_620_000), formatEta(undefined)]).toEqual(['0 s', '45 s', '4 min 05 s', '2 h 07 min', '?']);
  });

  it('shows runs, failures, rows, bytes, the row rate and the ETA on one line', () => {
    const snapshot: ProgressSnapshot = {
      items: { label: 'runs', verb: 'done', done: 37, total: 120, failed: 2 },
      rows: { done: 48_210, total: 156_000 },
      bytes: { done: 3_100_000, total: 10_200_000 },
      work: { done: 1, total: 2 },
    };
    expect(formatProgress(snapshot, { elapsedMs: 26_000, ratePerSecond: 1850, etaMs: 45_000 })).toBe('    … 26.0 s: runs 37/120 done (2 failed) · rows 48,210/156,000 · 3.1/10.2 MB · 1,850 rows/s · ETA 45 s');
  });

  it('leaves out what it does not know: no rows means a byte rate, no rate yet means ETA ?', () => {
    const files: ProgressSnapshot = { items: { label: 'files', verb: 'dropped', done: 120, total: 500 }, bytes: { done: 3_200_000, total: 14_000_000 }, work: { done: 3_200_000, total: 14_000_000 } };
    expect(formatProgress(files, { elapsedMs: 4000, ratePerSecond: 800_000, etaMs: 13_500 })).toBe('    … 4.0 s: files 120/500 dropped · 3.2/14.0 MB · 800.0 kB/s · ETA 14 s');
    const partitions: ProgressSnapshot = { items: { label: 'partitions', verb: 'refined', done: 3, total: 10 }, work: { done: 3, total: 10 } };
    expect(formatProgress(partitions, { elapsedMs: 12_000 })).toBe('    … 12.0 s: partitions 3/10 refined · ETA ?');
    expect(formatProgress(partitions, { elapsedMs: 12_000, ratePerSecond: 0.25, etaMs: 28_000 })).toBe('    … 12.0 s: partitions 3/10 refined · 0.3 partitions/s · ETA 28 s');
  });

  it('says the note instead of counts, and only the elapsed time without a snapshot', () => {
    expect(formatProgress({ items: { label: 'partitions', done: 0, total: 0 }, work: { done: 0, total: 0 }, note: 'waiting for the backfill stage' }, { elapsedMs: 2000 })).toBe('    … 2.0 s: waiting for the backfill stage');
    expect(formatProgress(undefined, { elapsedMs: 3000 })).toBe('    … 3.0 s');
  });
});
