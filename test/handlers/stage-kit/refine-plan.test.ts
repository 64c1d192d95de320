import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import type { RunSummary } from '../../../handlers/ports/run-store';
import { fedHourSpans, hoursFedBy, MAX_OBJECTS_PER_QUERY, MAX_WINDOW_DAYS, planRefine, spanDays, sparseWindows, windowParams, windowReadSpan, windowsWithObjects, type RefineWindow } from '../../../handlers/stage-kit/refine-plan';

const manifest = parseDatasetManifest(JSON.parse(readFileSync(path.join(__dirname, '../../../sql/traffic/manifest.json'), 'utf8')));
const HOUR = 3_600_000;
const run = (runId: string, range?: { min: string; max: string }): RunSummary => ({
  runId,
  dataset: 'traffic',
  object: { bucket: 'tributary-raw', key: `traffic/${runId}.jsonl`, etag: 'e', size: 1 },
  landedAt: '2026-01-05T12:00:00.000Z',
  updatedAt: '2026-01-05T12:00:00.000Z',
  ...(range ? { eventTimeRange: range } : {}),
});

describe('refine plan', () => {
  const early = run('r-early', { min: '2026-01-05T10:05:00.000Z', max: '2026-01-05T10:40:00.000Z' });
  const late = run('r-late', { min: '2026-01-05T11:50:00.000Z', max: '2026-01-05T12:10:00.000Z' });
  const empty = run('r-empty');

  it('feeds a run its event hours, and the next hour while its last reading is within the 30-minute lookback', () => {
    expect(hoursFedBy(manifest, early).map((h) => new Date(h).toISOString())).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z']);
    expect(hoursFedBy(manifest, late).map((h) => new Date(h).toISOString())).toEqual(['2026-01-05T11:00:00.000Z', '2026-01-05T12:00:00.000Z']);
    expect(hoursFedBy(manifest, empty)).toEqual([]);
  });

  it('records spans per run in the order of the run ids, in hours from the window start, null without events', () => {
    const { windows, withoutEvents } = planRefine(manifest, [early, late, empty]);
    expect(withoutEvents).toEqual(['r-empty']);
    const start = windows[0]?.start ?? Number.NaN;
    expect(new Date(start).toISOString()).toBe('2026-01-05T10:00:00.000Z');
    expect(fedHourSpans(manifest, ['r-late', 'r-empty', 'r-early', 'r-unknown'], [early, late, empty], start)).toEqual([[1, 2], null, [0, 1], null]);
    expect(fedHourSpans(manifest, ['r-early'], [early], start + 2 * HOUR)).toEqual([[-2, -1]]);
  });

  it('keeps the spans of a refine of 10,000 runs small (a job is one DynamoDB item, at most 400 KB)', () => {
    const runs = Array.from({ length: 10_000 }, (_, i) => run(`run-${String(i).padStart(16, '0')}`, { min: '2026-01-05T10:05:00.000Z', max: '2026-01-05T11:40:00.000Z' }));
    const spans = fedHourSpans(manifest, runs.map((r) => r.runId), runs, Date.parse('2026-01-05T10:00:00.000Z'));
    expect(JSON.stringify(spans).length).toBeLessThan(100_000);
  });
});

describe('refine plan at day and month grain', () => {
  const daily = parseDatasetManifest({ ...manifest, partitioning: { by: 'day', keys: ['year', 'month', 'day'] }, lookback: { minutes: 0 } });
  const monthly = parseDatasetManifest({ ...manifest, partitioning: { by: 'month', keys: ['year', 'month'] }, lookback: { minutes: 0 } });
  const fourYears = run('r-weather', { min: '2012-01-01T00:00:00.000Z', max: '2015-12-31T00:00:00.000Z' });

  it('plans 4 years of daily rows in partitions of the grain, not in hours', () => {
    const byDay = planRefine(daily, [fourYears]);
    expect(byDay.partitions).toBe(1461);
    expect(byDay.windows).toHaveLength(15);
    expect(byDay.windows.flatMap((w) => w.hours).every((h) => new Date(h).toISOString().endsWith('T00:00:00.000Z'))).toBe(true);
    const byMonth = planRefine(monthly, [fourYears]);
    expect(byMonth.windows).toHaveLength(1);
    expect(byMonth.windows[0]?.hours).toHaveLength(48);
    expect(windowParams(byMonth.windows[0] ?? { start: 0, end: 0, hours: [] }, monthly, [])).toMatchObject({ window_start: '2012-01-01 00:00:00', window_end: '2016-01-01 00:00:00' });
  });

  it('splits a window of 48 months so each lookup of its objects spans at most MAX_WINDOW_DAYS days (run state queries per day)', async () => {
    const [window] = planRefine(monthly, [fourYears]).windows;
    const spans: number[] = [];
    const parts = await windowsWithObjects(window ? [window] : [], monthly, async (span) => {
      spans.push(spanDays(span));
      return ['s3://raw/weather.csv'];
    });
    expect(Math.max(...spans)).toBeLessThanOrEqual(MAX_WINDOW_DAYS);
    expect(parts.flatMap((p) => p.window.hours)).toEqual(window?.hours);
    expect(parts.length).toBe(2);
  });

  it('plans sparse data by the partitions that hold rows: 1,461 daily rows at hour grain are 15 queries, not 351', () => {
    const hourly = planRefine(manifest, [fourYears]);
    expect(hourly.windows.length).toBeGreaterThan(350);
    const withRows = Array.from({ length: 1461 }, (_, d) => Date.parse('2012-01-01T00:00:00.000Z') + d * 24 * HOUR);
    const sparse = sparseWindows(manifest, hourly.windows, withRows);
    expect(sparse).toHaveLength(15);
    expect(sparse.flatMap((w) => w.hours)).toEqual(withRows);
  });
});

describe('refine windows with the objects they read', () => {
  const hours = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => Date.parse('2026-01-05T00:00:00.000Z') + (from + i) * HOUR);
  const window = (from: number, count: number): RefineWindow => {
    const list = hours(from, count);
    return { start: list[0] ?? 0, end: (list[list.length - 1] ?? 0) + HOUR, hours: list };
  };

  it('reads, per window, its hours and the lookback before them', () => {
    expect(windowReadSpan(window(10, 2), manifest)).toEqual({ from: '2026-01-05T09:30:00.000Z', to: '2026-01-05T11:59:59.999Z' });
  });

  it('pairs each window with its objects, sorted and without repeats', async () => {
    const spans: { from: string; to: string }[] = [];
    const out = await windowsWithObjects([window(0, 3), window(5, 1)], manifest, async (span) => {
      spans.push(span);
      return ['s3://raw/b.jsonl', 's3://raw/a.jsonl', 's3://raw/b.jsonl'];
    });
    expect(out.map((w) => [w.window.hours.length, w.objects])).toEqual([[3, ['s3://raw/a.jsonl', 's3://raw/b.jsonl']], [1, ['s3://raw/a.jsonl', 's3://raw/b.jsonl']]]);
    expect(spans).toEqual([windowReadSpan(window(0, 3), manifest), windowReadSpan(window(5, 1), manifest)]);
  });

  it('halves a window by hours until each part names at most MAX_OBJECTS_PER_QUERY objects, or is one hour', async () => {
    // One object per 10 minutes of the read span: 100 hours read 600 + objects.
    const objectsIn = async (span: { from: string; to: string }): Promise<string[]> => {
      const count = Math.ceil((Date.parse(span.to) - Date.parse(span.from)) / 600_000);
      return Array.from({ length: count }, (_, i) => `s3://raw/${span.from}-${String(i).padStart(5, '0')}.jsonl`);
    };
    const out = await windowsWithObjects([window(0, 100)], manifest, async (span) => [...(await objectsIn(span)), ...(await objectsIn(span)).map((o) => `${o}.copy`)]);
    expect(out.length).toBeGreaterThan(1);
    expect(out.flatMap((w) => w.window.hours)).toEqual(hours(0, 100));
    for (const { window: w, objects } of out) {
      expect(objects.length <= MAX_OBJECTS_PER_QUERY || w.hours.length === 1).toBe(true);
      expect(w.end - w.start).toBe(w.hours.length * HOUR);
    }
    const single = await windowsWithObjects([window(0, 1)], manifest, async () => Array.from({ length: MAX_OBJECTS_PER_QUERY + 5 }, (_, i) => `s3://raw/${i}`));
    expect(single).toHaveLength(1);
    expect(single[0]?.objects).toHaveLength(MAX_OBJECTS_PER_QUERY + 5);
  });

  it('gives the refine SQL its window, lookback and objects', () => {
    expect(windowParams(window(10, 2), manifest, ['s3://raw/a.jsonl'])).toEqual({ window_start: '2026-01-05 10:00:00', window_end: '2026-01-05 12:00:00', lookback_minutes: 30, objects: ['s3://raw/a.jsonl'] });
  });
});
