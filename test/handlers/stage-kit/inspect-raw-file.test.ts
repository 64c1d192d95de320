import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import { inspectRawFile } from '../../../handlers/stage-kit/inspect-raw-file';
import { PoisonInputError } from '../../../handlers/stage-kit/stage-error';
import manifestJson from '../../../sql/traffic/manifest.json';

const manifest = parseDatasetManifest(manifestJson);
const line = (o: Record<string, unknown>) => JSON.stringify({ uniqueId: 'S1', recordTimestamp: '2026-01-05T10:00:00.000Z', currentSpeed: 80, ...o });

describe('inspectRawFile', () => {
  it('counts records and finds the event-time range, ignoring unparseable times and blank lines', () => {
    const body = [line({ recordTimestamp: '2026-01-05T10:30:00.000Z' }), '', line({ recordTimestamp: 'not-a-time' }), line({ recordTimestamp: '2026-01-05T09:15:00.000Z' })].join('\n');
    expect(inspectRawFile('traffic/a.jsonl', Buffer.from(body), manifest)).toMatchObject({
      records: 3,
      eventTimeRange: { from: '2026-01-05T09:15:00.000Z', to: '2026-01-05T10:30:00.000Z' },
    });
  });

  it('accepts missing and null values: those rows go to the rejects table, not the file to quarantine', () => {
    expect(inspectRawFile('traffic/a.jsonl', Buffer.from(`${line({ currentSpeed: null })}\n${line({ uniqueId: undefined })}`), manifest).records).toBe(2);
  });

  it('reports each column as the file spells it with the JSON type of its non-null values', () => {
    const body = [line({ currentSpeed: 80, lane: null }), line({ currentSpeed: 80.5, lane: null, note: 'x' }), line({ currentSpeed: null, note: 3 })].join('\n');
    expect(inspectRawFile('traffic/a.jsonl', Buffer.from(body), manifest).columns).toEqual([
      { name: 'uniqueId', type: 'string' },
      { name: 'recordTimestamp', type: 'string' },
      { name: 'currentSpeed', type: 'number' },
      { name: 'lane', type: 'null' },
      { name: 'note', type: 'mixed(string/integer)' },
    ]);
  });

  it.each([
    ['traffic/a.csv', line({}), /unsupported file type for dataset traffic: traffic\/a\.csv \(expected jsonl/],
    ['traffic/a.jsonl', '', /file is empty: traffic\/a\.jsonl/],
    ['traffic/a.jsonl', '\n\n', /file has no records/],
    ['traffic/a.jsonl', `${line({})}\n{oops`, /line 2 of traffic\/a\.jsonl is not valid JSON/],
    ['traffic/a.jsonl', '[1,2]', /line 1 of traffic\/a\.jsonl is not a JSON object \(got array\)/],
  ])('quarantines %s with a reason naming the problem (%#)', (key, body, reason) => {
    const inspect = () => inspectRawFile(key, Buffer.from(body), manifest);
    expect(inspect).toThrow(PoisonInputError);
    expect(inspect).toThrow(reason);
  });
});
