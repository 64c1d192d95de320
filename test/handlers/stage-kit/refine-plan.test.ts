import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import type { RunSummary } from '../../../handlers/ports/run-store';
import { fedHourSpans, hoursFedBy, planRefine } from '../../../handlers/stage-kit/refine-plan';

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
