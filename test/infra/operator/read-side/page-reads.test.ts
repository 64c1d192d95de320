import '../../../integration/quiet-logs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { localTopologyNames } from '../../../../events/topology-names';
import { deadLetterQueueArn } from '../../../../infra/emulators/bus/bus-arns';
import { JsonFileCatalog } from '../../../../infra/emulators/catalog/json-file-catalog';
import { datasetRoots } from '../../../../infra/datasets/dataset-roots';
import { FolderDatasetStore } from '../../../../infra/datasets/folder-dataset-store';
import type { EmbeddedRuntime } from '../../../../infra/local/runtime/embedded-runtime';
import { loadForecastArtifact } from '../../../../infra/local/runtime/model-registry';
import { dropFiles } from '../../../../infra/operator/cli/commands/drop';
import { readCatalog, readCatalogTable, readSchemaChanges } from '../../../../infra/operator/read-side/catalog-read';
import { deadLetterRows, readAlerts, redriveDeadLetters } from '../../../../infra/operator/read-side/dead-letters-read';
import { compileEventFilter, localReplayInput, readEventPage } from '../../../../infra/operator/read-side/events-read';
import { readForecastView } from '../../../../infra/operator/read-side/forecast-read';
import { openReadOnlyQuery, type ReadOnlyQuery } from '../../../../infra/operator/read-side/read-side';
import { SqlResults, toCsv } from '../../../../infra/operator/read-side/sql-read';
import { generateTrafficSample } from '../../../../infra/shipped/traffic-sample';
import { openRuntime, settle, tempDir } from '../../../integration/pipeline-harness';
import { refusingTarget } from '../../../integration/refusing-target';

jest.setTimeout(180_000);

/**
 * The read side of the console's pages, on one real home: a small traffic sample run through the
 * embedded pipeline (dynalite, DuckDB, the crawler, the bus's archive), plus a dead letter made by a
 * rule whose HTTP target refuses deliveries.
 */
describe('read side of the console pages', () => {
  let home: string;
  let rt: EmbeddedRuntime;
  let sql: ReadOnlyQuery;

  beforeAll(async () => {
    home = await tempDir('pages');
    await generateTrafficSample({ outDir: path.join(home, 'sample'), sensors: 2, hours: 3, seed: 7 });
    rt = await openRuntime(home);
    await dropFiles(home, path.join(home, 'sample', 'traffic'), { dataset: 'traffic' });
    await settle(rt);
    sql = openReadOnlyQuery(home);
  });
  afterAll(async () => {
    await sql.close();
    await rt.close();
    await rm(home, { recursive: true, force: true });
  });

  it('lists databases, tables, columns with types, partitions and schema changes from the catalog', async () => {
    const catalog = new JsonFileCatalog(home);
    const databases = await readCatalog(catalog);
    expect(databases.map((d) => d.name)).toEqual(['tributary_forecast', 'tributary_raw', 'tributary_refined']);
    const refined = databases.find((d) => d.name === 'tributary_refined')?.tables.find((t) => t.name === 'traffic');
    expect(refined).toMatchObject({ type: 'EXTERNAL_TABLE', partitionKeys: ['year', 'month', 'day', 'hour'] });
    const table = await readCatalogTable(catalog, 'tributary_refined', 'traffic');
    expect(table?.columnList).toEqual(expect.arrayContaining([{ name: 'currentspeed', type: 'bigint', partitionKey: false }, { name: 'hour', type: 'string', partitionKey: true }]));
    expect(table?.partitionList.length).toBe(refined?.partitions);
    expect(table?.partitionList[0]?.values).toEqual(['2026', '01', '05', '00']);
    expect(table?.partitionList[0]?.location).toMatch(/year=2026\/month=01\/day=05\/hour=00\/$/);
    expect(await readCatalogTable(catalog, 'tributary_refined', 'nope')).toBeUndefined();
    const changes = await readSchemaChanges(home, { database: 'tributary_raw', table: 'traffic' });
    expect(changes).toHaveLength(1);
    expect(changes[0]?.addedColumns).toContainEqual({ name: 'currentspeed', type: 'bigint' });
  });

  it('pages the archived events newest first through an EventBridge pattern, and names EventBridge\'s reason for an invalid one', async () => {
    const filter = compileEventFilter('{"detail-type": ["RawLanded"]}');
    const first = await readEventPage(home, { filter, limit: 5 });
    expect(first.events.map((e) => e.event['detail-type'])).toEqual(Array(5).fill('RawLanded'));
    const positions = first.events.map((e) => e.position);
    expect([...positions].sort((a, b) => b - a)).toEqual(positions);
    const all = await readEventPage(home, { filter, limit: 10_000 });
    const second = await readEventPage(home, { filter, limit: 5, ...(first.before !== undefined ? { before: first.before } : {}) });
    expect(second.events.map((e) => e.position)).toEqual(all.events.slice(5, 10).map((e) => e.position));
    expect(all.before).toBeUndefined();
    expect(compileEventFilter('{"source": "tributary.pipeline"}')).toEqual({ ok: false, reason: '"source" must be an object or an array', message: 'Event pattern is not valid. Reason: "source" must be an object or an array' });
    expect(compileEventFilter('{"source": [')).toMatchObject({ ok: false, message: expect.stringMatching(/^Event pattern is not valid\. Reason: /) });
    await expect(readEventPage(home, { filter: compileEventFilter('[]'), limit: 1 })).rejects.toThrow('Event pattern is not valid. Reason: Filter is not an object');
  });

  it('builds a replay of a window to one rule, refusing an unknown rule and an empty window', () => {
    const input = localReplayInput('r1', { from: new Date('2026-01-05T00:00:00Z'), to: new Date('2026-01-06T00:00:00Z'), rules: ['raw-crawled-refine'] });
    expect(input.Destination.FilterArns).toEqual([`arn:aws:events:us-east-1:000000000000:rule/${localTopologyNames.busName}/raw-crawled-refine`]);
    expect(input.EventSourceArn).toBe('arn:aws:events:us-east-1:000000000000:archive/tributary-archive');
    expect(() => localReplayInput('r2', { from: new Date(0), to: new Date(1), rules: ['nope'] })).toThrow(/^no rule "nope"; rules: /);
    expect(() => localReplayInput('r3', { from: new Date(1), to: new Date(1) })).toThrow(/must end after it starts/);
  });

  it('shows a dead letter with its error attributes and alert, and a redrive of all empties the queue', async () => {
    const target = await refusingTarget();
    try {
      await rt.bus.putRule({ Name: 'console-hook', EventBusName: localTopologyNames.busName, EventPattern: JSON.stringify({ source: ['console.test'] }) });
      await rt.bus.putTargets({ Rule: 'console-hook', EventBusName: localTopologyNames.busName, Targets: [{ Id: 'hook', Arn: target.url, DeadLetterConfig: { Arn: deadLetterQueueArn('console-hook-dlq') } }] });
      await rt.bus.putEvents([{ Source: 'console.test', DetailType: 'Poke', Detail: '{}', EventBusName: localTopologyNames.busName }]);
      await settle(rt);
      const source = { listDeadLetters: async () => rt.bus.listDeadLetterQueues().flatMap((q) => rt.bus.listDeadLetterMessages(q.queue)), redrive: (q: string, id: string) => rt.bus.redriveDeadLetterMessage(q, id) };
      const rows = deadLetterRows(await source.listDeadLetters());
      expect(rows).toEqual([expect.objectContaining({ queue: 'console-hook-dlq', rule: 'console-hook', target: 'hook', event: 'Poke', error: expect.any(String), exhausted: 'NonRetryableError', message: expect.stringMatching(/400/) })]);
      const alerts = await readAlerts(home, 10);
      expect(alerts[0]?.detail).toMatchObject({ errorClass: 'delivery', stage: 'hook' });
      target.accept.on = true;
      expect(await redriveDeadLetters(source)).toEqual({ redriven: 1, refused: [] });
      await settle(rt);
      expect(await source.listDeadLetters()).toEqual([]);
      expect(target.received).toHaveLength(1);
    } finally {
      await target.close();
    }
  });

  it('runs read-only SQL into held results that page and download as CSV', async () => {
    const results = new SqlResults((text) => sql.query(text));
    const result = await results.run('SELECT uniqueid, count(*) AS n FROM tributary_refined.traffic GROUP BY uniqueid ORDER BY uniqueid');
    expect(result.columns).toEqual(['uniqueid', 'n']);
    expect(results.page(result.id, 1, 10)).toMatchObject({ total: 2, offset: 1, rows: [['S002', expect.stringMatching(/^\d+$/)]] });
    expect(results.csv(result.id)).toMatch(/^uniqueid,n\r\nS001,\d+\r\nS002,\d+\r\n$/);
    await expect(results.run('DROP TABLE tributary_refined.traffic')).rejects.toThrow(/./);
    expect(() => results.page('gone', 0, 1)).toThrow(/no query result "gone"/);
    expect(toCsv(['a', 'b'], [{ a: 'x,"y"', b: undefined }])).toBe('a,b\r\n"x,""y""",\r\n');
  });

  it('reads a series\' actuals and predictions with the horizon and the model\'s backtest', async () => {
    const dataset = await new FolderDatasetStore(datasetRoots(home)).getDataset('traffic');
    if (dataset === undefined) throw new Error('no traffic dataset');
    const view = await readForecastView((text) => sql.query(text), dataset, await loadForecastArtifact(home, 'traffic'), ['S002']);
    expect(view).toMatchObject({ dataset: 'traffic', key: ['S002'], seriesKeys: [['S001'], ['S002']], every: '15m', horizon: 4 });
    expect(view.actuals.length).toBeGreaterThan(0);
    expect(view.predictions.length).toBeGreaterThan(0);
    expect((view.latest?.origin ?? '') < (view.latest?.from ?? '')).toBe(true);
    expect(view.model.backtest?.scores.map((s) => s.model)).toEqual(expect.arrayContaining(['seasonal-naive', 'ridge-lags']));
    await expect(readForecastView((text) => sql.query(text), dataset, undefined, ['S1', 'x'])).rejects.toThrow(/named by 1 value/);
  });
});
