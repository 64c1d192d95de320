import '../../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import { refine } from '../../../handlers/refine';
import { allRuns, dropFiles, openRuntime, queryRows, runCensus, settle, tempDirs } from '../../integration/pipeline-harness';
import * as path from 'node:path';
import { readObjectRejects, splitRunId } from '../../../handlers/stage-kit/write-rejects';

describe('splitRunId (a staged reject line → its run and its row)', () => {
  it('splits a line that starts with the run id as text, keeping the row as written', () => {
    const line = '{"run_id":"run-3f2a","uniqueid":"S001","currentspeed":251,"reason":"speed_sentinel","note":"a, \\"quoted\\" value"}';
    const [runId, row] = splitRunId(line);
    expect(runId).toBe('run-3f2a');
    expect(row).toBe('{"uniqueid":"S001","currentspeed":251,"reason":"speed_sentinel","note":"a, \\"quoted\\" value"}');
    expect(JSON.parse(row)).toEqual({ uniqueid: 'S001', currentspeed: 251, reason: 'speed_sentinel', note: 'a, "quoted" value' });
  });

  it('parses a line of any other shape (run id elsewhere, spacing) to the same row', () => {
    const [runId, row] = splitRunId('{ "uniqueid": "S001", "run_id": "run-3f2a", "currentspeed": 251 }\r');
    expect(runId).toBe('run-3f2a');
    expect(JSON.parse(row)).toEqual({ uniqueid: 'S001', currentspeed: 251 });
  });

  it('rejects a line without a run id, naming the problem', () => {
    expect(() => splitRunId('{"uniqueid":"S001"}')).toThrow(/run_id/);
    expect(() => splitRunId('not json')).toThrow(SyntaxError);
  });
});

describe('writeRejects in the pipeline', () => {
  const dir = tempDirs();
  jest.setTimeout(180_000);

  const reading = (sensor: string, minute: number, speed: number): string =>
    JSON.stringify({ uniqueId: sensor, recordTimestamp: `2026-01-05T10:${String(minute).padStart(2, '0')}:00.000Z`, currentSpeed: speed, previousSpeed: 90, bezettingsgraad: 10, trafficIntensityClass2: 1, trafficIntensityClass3: 0, trafficIntensityClass4: 0, trafficIntensityClass5: 0 });

  /** The files of the rejects table in the refined zone. */
  const rejectsFiles = async (home: string): Promise<string[]> => (await fs.readdir(path.join(home, 'lake', 'refined', 'traffic_rejects')).catch(() => [])).filter((name) => !name.startsWith('.') && !name.startsWith('_'));

  it('writes the rejects of a refine batch as one file, each row once, and a re-refine of the same objects replaces it', async () => {
    const home = await dir('rejects-batch');
    const rt = await openRuntime(home);
    try {
      const keys = Array.from({ length: 6 }, (_, i) => `traffic/2026/01/05/10/feed-${i}.jsonl`);
      await dropFiles(home, keys.map((key, i) => ({ key, body: [reading(`S${i}`, 1, 80), reading(`S${i}`, 2, 255)].join('\n') + '\n' })));
      await settle(rt);
      const countRejects = async () => Number((await queryRows(rt, 'SELECT count(*) AS n FROM tributary_refined.traffic_rejects'))[0]?.['n']);
      expect(await countRejects()).toBe(6);
      const files = await rejectsFiles(home);
      // Fewer files than objects: one per refine batch (a burst may land in more than one batch).
      expect(files.length).toBeLessThan(keys.length);
      // Every run refined again in one batch: the rows move to that batch's file, none kept twice.
      const runs = await allRuns(rt);
      await refine({ dataset: 'traffic', runIds: runs.map((r) => r.runId) }, rt.deps);
      await settle(rt);
      expect(await rejectsFiles(home)).toHaveLength(1);
      for (const key of keys) expect(await readObjectRejects(rt.deps, 'traffic', { bucket: 'tributary-raw', key })).toHaveLength(1);
      const all = await fs.readFile(path.join(home, 'lake', 'refined', 'traffic_rejects', (await rejectsFiles(home))[0] ?? ''), 'utf8');
      expect(all.split('\n').filter((l) => l !== '')).toHaveLength(6);
    } finally {
      await rt.close();
    }
  });

  it('keeps the rejects of an overwritten key as its current version has them, never the earlier version\'s besides', async () => {
    const home = await dir('rejects-overwrite');
    const key = 'traffic/2026/01/05/10/feed.jsonl';
    const rt = await openRuntime(home);
    try {
      await dropFiles(home, [{ key, body: [reading('S1', 1, 80), reading('S1', 2, 255), reading('S1', 3, 254)].join('\n') + '\n' }]);
      await settle(rt);
      const rejectsOf = async () => (await queryRows(rt, `SELECT currentspeed FROM tributary_refined.traffic_rejects WHERE source_object = 's3://tributary-raw/${key}' ORDER BY 1`)).map((r) => r['currentspeed']);
      expect(await rejectsOf()).toEqual(['254', '255']);
      await dropFiles(home, [{ key, body: [reading('S1', 1, 80), reading('S1', 4, 253)].join('\n') + '\n' }]);
      await settle(rt);
      expect(await rejectsOf()).toEqual(['253']);
      // A version without rejects leaves none: the file goes, and with the last one the crawl drops the table.
      await dropFiles(home, [{ key, body: `${reading('S1', 1, 80)}\n` }]);
      await settle(rt);
      expect(await readObjectRejects(rt.deps, 'traffic', { bucket: 'tributary-raw', key })).toEqual([]);
      expect(await rejectsFiles(home)).toEqual([]);
      expect(runCensus(await allRuns(rt))).toEqual({ 'forecast:succeeded': 3 });
    } finally {
      await rt.close();
    }
  });
});

