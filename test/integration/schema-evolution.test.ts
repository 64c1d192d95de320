import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { StageFailedDetail, TableCrawledDetail } from '../../contracts/domain-events';
import { databaseOf } from '../../handlers/stage-kit/naming';
import { waitVerdict } from '../../infra/operator/cli/wait-verdict';
import { allRuns, countRows, dropFiles, openRuntime, settle, tempDirs } from './pipeline-harness';

jest.setTimeout(240_000);

/** One valid traffic reading of sensor `sensor` at 2026-01-05 `hour`:`minute`, with `change` applied to its fields. */
function reading(sensor: string, hour: number, minute: number, change: (r: Record<string, unknown>) => Record<string, unknown> = (r) => r): string {
  const at = `2026-01-05T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;
  return JSON.stringify(change({ uniqueId: sensor, recordTimestamp: at, currentSpeed: 80, previousSpeed: 80, bezettingsgraad: 10, trafficIntensityClass2: 1, trafficIntensityClass3: 0, trafficIntensityClass4: 0, trafficIntensityClass5: 0 }));
}

const file = (key: string, lines: readonly string[]) => ({ key, body: `${lines.join('\n')}\n` });
const minutes = [1, 2, 3, 4];

/**
 * Schema evolution on the traffic dataset: a later file that adds a column reaches the catalog and
 * `TableCrawled`, and both files' rows are refined; a file that renamed or retyped a declared column
 * fails alone as `schema`, naming the column and the object, before the crawl or the refine reads it.
 */
describe('schema evolution', () => {
  const dir = tempDirs();

  it('applies and announces an added column, and quarantines a renamed or retyped declared column as schema without losing other rows', async () => {
    const home = await dir('schema');
    const rt = await openRuntime(home);
    try {
      const crawled: TableCrawledDetail[] = [];
      const failed: StageFailedDetail[] = [];
      rt.bus.onEvent(({ event }) => {
        if (event['detail-type'] === 'TableCrawled') crawled.push(event.detail as TableCrawledDetail);
        if (event['detail-type'] === 'StageFailed') failed.push(event.detail as StageFailedDetail);
      });
      await dropFiles(home, [file('traffic/2026/01/05/10/first.jsonl', minutes.map((m) => reading('S1', 10, m)))]);
      await settle(rt);
      const raw = databaseOf(rt.deps.topology, 'raw');
      expect((await rt.deps.catalog.getTable(raw, 'traffic'))?.StorageDescriptor.Columns.map((c) => c.Name)).not.toContain('lane');

      const renamed = file('traffic/2026/01/05/11/renamed.jsonl', minutes.map((m) => reading('S3', 11, m, ({ currentSpeed, ...r }) => ({ ...r, speed: currentSpeed }))));
      const retyped = file('traffic/2026/01/05/11/retyped.jsonl', minutes.map((m) => reading('S4', 11, m, (r) => ({ ...r, bezettingsgraad: '10%' }))));
      await dropFiles(home, [file('traffic/2026/01/05/11/added.jsonl', minutes.map((m) => reading('S2', 11, m, (r) => ({ ...r, lane: 2 })))), renamed, retyped]);
      await settle(rt);

      const table = await rt.deps.catalog.getTable(raw, 'traffic');
      expect(table?.StorageDescriptor.Columns.filter((c) => ['lane', 'speed'].includes(c.Name))).toEqual([{ Name: 'lane', Type: 'bigint' }]);
      const changes = crawled.filter((c) => c.zone === 'raw').map((c) => c.schemaChanged);
      expect(changes.at(-1)).toEqual([{ table: 'traffic', addedColumns: [{ name: 'lane', type: 'bigint' }] }]);
      expect(await countRows(rt, 'tributary_refined.traffic')).toBe(2 * minutes.length);

      const schemaFailures = failed.filter((f) => f.errorClass === 'schema').sort((a, b) => (a.object?.key ?? '').localeCompare(b.object?.key ?? ''));
      expect(schemaFailures.map((f) => [f.stage, f.object?.key, f.retryable])).toEqual([
        ['register-landing', renamed.key, false],
        ['register-landing', retyped.key, false],
      ]);
      expect(schemaFailures[0]?.message).toMatch(/^schema change in traffic\/2026\/01\/05\/11\/renamed\.jsonl: column currentSpeed \(integer\) is missing/);
      expect(schemaFailures[1]?.message).toMatch(/column bezettingsgraad is string \(record 1: 10%\), declared integer/);
      for (const bad of [renamed, retyped]) expect(await fs.readFile(path.join(home, 'lake', 'quarantine', ...bad.key.split('/')), 'utf8')).toBe(bad.body);

      const runs = await allRuns(rt);
      const deadLetters = rt.bus.listDeadLetterQueues().flatMap((dq) => rt.bus.listDeadLetterMessages(dq.queue));
      const verdict = waitVerdict(runs, deadLetters, await rt.deps.runs.listStageFailures());
      expect(verdict.code).toBe(1);
      expect(verdict.problems[0]).toBe('tributary: 2 run(s) failed, stalled or quarantined (2 schema):');
      expect(runs.filter((r) => r.lastStatus !== 'quarantined').map((r) => r.lastStatus)).toEqual(['succeeded', 'succeeded']);
    } finally {
      await rt.close();
    }
  });
});
