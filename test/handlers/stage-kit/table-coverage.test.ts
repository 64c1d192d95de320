import type { GluePartition, GlueTable } from '../../../handlers/ports/catalog';
import type { RunSummary } from '../../../handlers/ports/run-store';
import { awaitsPartition, splitByCoverage } from '../../../handlers/stage-kit/table-coverage';

const run = (key: string): RunSummary => ({ runId: key, dataset: 'traffic', object: { bucket: 'tributary-raw', key, etag: 'e', size: 1 }, landedAt: '2026-01-05T00:00:00Z', updatedAt: '2026-01-05T00:00:00Z' });
const table = (keys: string[]): GlueTable => ({ Name: 'traffic', DatabaseName: 'tributary_raw', TableType: 'EXTERNAL_TABLE', PartitionKeys: keys.map((Name) => ({ Name, Type: 'string' })), StorageDescriptor: { Columns: [], Location: 's3://tributary-raw/traffic/' }, Parameters: {} });
const partition = (location: string): GluePartition => ({ DatabaseName: 'tributary_raw', TableName: 'traffic', Values: [], StorageDescriptor: { Columns: [], Location: location } });
const keysOf = (runs: RunSummary[]) => runs.map((r) => r.object.key);

describe('splitByCoverage', () => {
  it('an unpartitioned table covers every object below its folder, at any depth', () => {
    const { visible, invisible } = splitByCoverage(table([]), [], [run('traffic/a.jsonl'), run('traffic/2026/01/b.jsonl'), run('trafficx/c.jsonl')]);
    expect(keysOf(visible)).toEqual(['traffic/a.jsonl', 'traffic/2026/01/b.jsonl']);
    expect(keysOf(invisible)).toEqual(['trafficx/c.jsonl']);
  });

  it('a partitioned table covers only objects below a partition location', () => {
    const { visible, invisible } = splitByCoverage(table(['p0']), [partition('s3://tributary-raw/traffic/2026/'), partition('s3://tributary-raw/traffic/2027')], [
      run('traffic/2026/a.jsonl'), run('traffic/2027/x/b.jsonl'), run('traffic/root.jsonl'), run('traffic/20261/c.jsonl'),
    ]);
    expect(keysOf(visible)).toEqual(['traffic/2026/a.jsonl', 'traffic/2027/x/b.jsonl']);
    expect(keysOf(invisible)).toEqual(['traffic/root.jsonl', 'traffic/20261/c.jsonl']);
  });
});

describe('awaitsPartition', () => {
  it('holds for an object at the depth of the partition keys only: a folder a crawl makes a partition of', () => {
    const keyed = table(['p0', 'p1']);
    expect(['traffic/2026/01/a.jsonl', 'traffic/2026/a.jsonl', 'traffic/2026/01/02/a.jsonl', 'traffic/a.jsonl', 'other/2026/01/a.jsonl'].map((k) => awaitsPartition(keyed, run(k)))).toEqual([true, false, false, false, false]);
    expect(awaitsPartition(table([]), run('traffic/a.jsonl'))).toBe(false);
  });
});
