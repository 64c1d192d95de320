import { ConfigurationError } from '../../../contracts/configuration-error';
import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import type { RawFileInspector } from '../../../handlers/ports/raw-file-inspector';
import { inspectRawFile } from '../../../handlers/stage-kit/inspect-raw-file';
import { SchemaDriftError } from '../../../handlers/stage-kit/declared-columns';
import manifestJson from '../../../sql/traffic/manifest.json';

const traffic = parseDatasetManifest(manifestJson);
const line = (o: Record<string, unknown>) => JSON.stringify({ uniqueId: 'S1', recordTimestamp: '2026-01-05T10:00:00.000Z', currentSpeed: 80, ...o });

describe('inspectRawFile', () => {
  it('asks the realisation\'s inspector when it has one', async () => {
    const inspector: RawFileInspector = { inspect: async (key) => ({ records: key.length }) };
    await expect(inspectRawFile('weather/a.csv', Buffer.from('x'), parseDatasetManifest({ ...manifestJson, raw: { format: 'csv' } }), inspector)).resolves.toEqual({ records: 13 });
  });

  it('without one, reads uncompressed JSON lines by hand (records, event-time range, declared types)', async () => {
    const body = [line({ recordTimestamp: '2026-01-05T10:30:00.000Z' }), '', line({ recordTimestamp: 'not-a-time' }), line({ recordTimestamp: '2026-01-05T09:15:00.000Z' })].join('\n');
    await expect(inspectRawFile('traffic/a.jsonl', Buffer.from(body), traffic)).resolves.toMatchObject({ records: 3, eventTimeRange: { from: '2026-01-05T09:15:00.000Z', to: '2026-01-05T10:30:00.000Z' } });
    await expect(inspectRawFile('traffic/a.jsonl', Buffer.from(line({ currentSpeed: 'fast' })), traffic)).rejects.toThrow(SchemaDriftError);
  });

  it('without one, refuses other formats and gzip as a configuration error (the file stays in raw), never zero rows', async () => {
    const csv = parseDatasetManifest({ ...manifestJson, raw: { format: 'csv' } });
    await expect(inspectRawFile('traffic/a.csv', Buffer.from('a,b\n1,2\n'), csv)).rejects.toThrow(ConfigurationError);
    await expect(inspectRawFile('traffic/a.jsonl.gz', Buffer.from('x'), traffic)).rejects.toThrow(/raw.format jsonl \(gzip\) needs a raw-file inspector/);
  });
});
