import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SegmentedLog } from '../../../../infra/emulators/bus/segmented-log';

async function readAll(dir: string): Promise<Array<[unknown, number]>> {
  const records: Array<[unknown, number]> = [];
  await SegmentedLog.read(dir, (record, segment) => records.push([record, segment]));
  return records;
}

describe('SegmentedLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'segmented-log-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps every record of concurrent appends, each call contiguous and in its segment', async () => {
    const log = await SegmentedLog.open(dir, { segmentBytes: 200 });
    const segments = await Promise.all(Array.from({ length: 50 }, (_, call) => log.append([JSON.stringify({ call, part: 0 }), JSON.stringify({ call, part: 1 })])));
    await log.close();
    const records = await readAll(dir);
    expect(records).toHaveLength(100);
    for (let i = 0; i < records.length; i += 2) {
      const [first, second] = [records[i], records[i + 1]];
      expect(first?.[0]).toMatchObject({ part: 0 });
      expect(second?.[0]).toEqual({ ...(first?.[0] as object), part: 1 });
      expect(first?.[1]).toBe(second?.[1]);
    }
    const ids = await SegmentedLog.segmentIds(dir);
    expect(ids.length).toBeGreaterThan(1);
    expect(new Set(segments)).toEqual(new Set(records.map(([, segment]) => segment)));
  });

  it('cuts a torn tail back to the last complete record on open, and appends after it', async () => {
    const log = await SegmentedLog.open(dir);
    await log.append(['{"n":1}', '{"n":2}']);
    await log.close();
    const [id] = await SegmentedLog.segmentIds(dir);
    const file = path.join(dir, `${String(id).padStart(12, '0')}.log`);
    await fs.appendFile(file, '{"n":3,"torn');
    const reopened = await SegmentedLog.open(dir);
    await reopened.append(['{"n":4}']);
    await reopened.close();
    expect((await readAll(dir)).map(([record]) => record)).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
    expect(await fs.readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":4}\n');
  });

  it('never drops a complete record that follows a damaged line', async () => {
    const log = await SegmentedLog.open(dir);
    await log.append(['{"n":1}']);
    await log.close();
    const file = path.join(dir, '000000000001.log');
    await fs.appendFile(file, 'garbage\n{"n":2}\n{"n":');
    const reopened = await SegmentedLog.open(dir);
    await reopened.close();
    expect((await readAll(dir)).map(([record]) => record)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await fs.readFile(file, 'utf8')).toBe('{"n":1}\ngarbage\n{"n":2}\n');
  });

  it('replaces all segments by one on compaction, and never deletes the active segment', async () => {
    const log = await SegmentedLog.open(dir, { segmentBytes: 10 });
    for (let n = 0; n < 5; n++) await log.append([JSON.stringify({ n })]);
    await log.deleteSegment(log.activeSegment);
    await log.deleteSegment(1);
    await log.close();
    // Two 8-byte records fill a 10-byte segment: segments 1 {0,1}, 2 {2,3}, 3 (active) {4}.
    expect(await readAll(dir)).toEqual([
      [{ n: 2 }, 2],
      [{ n: 3 }, 2],
      [{ n: 4 }, 3],
    ]);
    await SegmentedLog.replaceAll(dir, ['{"kept":true}']);
    expect(await SegmentedLog.segmentIds(dir)).toEqual([4]);
    expect(await readAll(dir)).toEqual([[{ kept: true }, 4]]);
  });
});
