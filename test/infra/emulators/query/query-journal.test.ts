import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { AthenaQueryStateChangeEventSchema } from '../../../../contracts/aws-events';
import { QueryState, StatementType } from '../../../../handlers/ports/query-engine';
import { DuckDbQueryEngine } from '../../../../infra/emulators/query/duckdb-query-engine';
import { QueryJournal } from '../../../../infra/emulators/query/query-journal';
import { makeLake, RecordingBus, type Lake } from './query-fixtures';

/** The states and sequence numbers of the state-change events a bus got for one query. */
function transitions(bus: RecordingBus, id: string): Array<[string, string]> {
  return bus.entries
    .map((e) => AthenaQueryStateChangeEventSchema.shape.detail.parse(JSON.parse(e.Detail ?? '{}')))
    .filter((d) => d.queryExecutionId === id)
    .map((d) => [d.currentState, d.sequenceNumber]);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('DuckDbQueryEngine with a journal (a restart after kill -9)', () => {
  let lake: Lake;
  const unload = "UNLOAD (SELECT sensor, speed, dt FROM readings) TO 's3://tributary-refined/_staging/job/' WITH (format = 'PARQUET', partitioned_by = ARRAY['dt'])";
  const open = (bus = new RecordingBus()) => DuckDbQueryEngine.create({ home: lake.home, catalog: lake.catalog, bus, journal: true });

  beforeEach(async () => {
    lake = await makeLake();
  });

  afterEach(async () => {
    await lake.cleanup();
  });

  it('runs a query the crash cut off again under its id, after discarding what it had written', async () => {
    const id = '11111111-2222-3333-4444-555555555555';
    await new QueryJournal(lake.home).save({
      input: { QueryString: unload, WorkGroup: 'tributary', QueryExecutionContext: { Database: 'contract_db' }, ClientRequestToken: 'refine-job' },
      execution: { QueryExecutionId: id, Query: unload, StatementType: StatementType.Dml, WorkGroup: 'tributary', QueryExecutionContext: { Database: 'contract_db' }, Status: { State: QueryState.Running, SubmissionDateTime: new Date() }, Statistics: {} },
      sequence: 1,
    });
    // What the cut-off run had moved into the target, and its write folder: both are the dead run's.
    const target = path.join(lake.home, 'lake', 'refined', '_staging', 'job');
    await fs.mkdir(path.join(target, 'dt=2024-01-01'), { recursive: true });
    await fs.writeFile(path.join(target, 'dt=2024-01-01', `20260101000000_${id}_0.parquet`), 'partial');
    await fs.mkdir(path.join(lake.home, 'lake', '.staging', `20260101000000_${id}`), { recursive: true });

    const bus = new RecordingBus();
    const engine = await open(bus);
    try {
      expect(engine.unfinishedQueryIds()).toEqual([id]);
      expect(bus.entries).toEqual([]);
      expect(await engine.resumeInterrupted()).toEqual([id]);
      await engine.whenQueryFinished(id);
      const execution = await engine.getQueryExecution(id);
      expect(execution.Status.State).toBe(QueryState.Succeeded);
      expect((await engine.getQueryResults(id)).UpdateCount).toBe(3);
      expect(transitions(bus, id)).toEqual([['RUNNING', '3'], ['SUCCEEDED', '4']]);
      const files = await filesUnder(target);
      expect(files).toHaveLength(2);
      expect(files.every((f) => !f.startsWith(`dt=2024-01-01${path.sep}20260101000000_`))).toBe(true);
      expect(await fs.readdir(path.join(lake.home, 'lake', '.staging'))).toEqual([]);
      // The token still names the query: a starter that retries after the crash gets the same id.
      expect((await engine.startQueryExecution({ QueryString: unload, WorkGroup: 'tributary', ClientRequestToken: 'refine-job' })).QueryExecutionId).toBe(id);
    } finally {
      await engine.close();
    }
  });

  it('knows ended queries after a restart: state, token and update count; SELECT rows are said to be gone', async () => {
    const first = await open();
    const { QueryExecutionId: written } = await first.startQueryExecution({ QueryString: unload, WorkGroup: 'tributary', QueryExecutionContext: { Database: 'contract_db' }, ClientRequestToken: 't1' });
    const { QueryExecutionId: selected } = await first.startQueryExecution({ QueryString: 'SELECT 1', WorkGroup: 'primary' });
    await first.whenQueryFinished(written);
    await first.whenQueryFinished(selected);
    await first.close();

    const bus = new RecordingBus();
    const second = await open(bus);
    try {
      expect(second.unfinishedQueryIds()).toEqual([]);
      expect(await second.resumeInterrupted()).toEqual([]);
      expect(bus.entries).toEqual([]);
      expect((await second.getQueryExecution(written)).Status.State).toBe(QueryState.Succeeded);
      expect((await second.getQueryResults(written)).UpdateCount).toBe(3);
      expect((await second.startQueryExecution({ QueryString: unload, ClientRequestToken: 't1' })).QueryExecutionId).toBe(written);
      await expect(second.getQueryResults(selected)).rejects.toThrow(/not kept across a restart/);
    } finally {
      await second.close();
    }
  });

  it('announces again, on the next start, an end the bus refused: it is never journalled as announced', async () => {
    const refusing = new RecordingBus();
    refusing.putEvents = async (entries) => {
      const ended = entries.some((e) => /"currentState":"(SUCCEEDED|FAILED)"/.test(e.Detail ?? ''));
      if (ended) throw new Error('bus log full');
      return RecordingBus.prototype.putEvents.call(refusing, entries);
    };
    const first = await open(refusing);
    const { QueryExecutionId: id } = await first.startQueryExecution({ QueryString: 'SELECT 1', WorkGroup: 'primary' });
    await first.whenQueryFinished(id);
    await first.close();
    expect(transitions(refusing, id).map(([state]) => state)).not.toContain('SUCCEEDED');

    const bus = new RecordingBus();
    const second = await open(bus);
    try {
      await second.resumeInterrupted();
      expect(transitions(bus, id).map(([state]) => state)).toEqual(['SUCCEEDED']);
    } finally {
      await second.close();
    }
  });

  it('announces again an end whose event may not have gone out before the crash', async () => {
    const first = await open();
    const { QueryExecutionId: id } = await first.startQueryExecution({ QueryString: 'SELECT 1', WorkGroup: 'primary' });
    await first.whenQueryFinished(id);
    await first.close();
    const journal = new QueryJournal(lake.home);
    const [entry] = await journal.load();
    if (!entry) throw new Error('no journal entry');
    await journal.save({ ...entry, announced: false });

    const bus = new RecordingBus();
    const second = await open(bus);
    try {
      expect(bus.entries).toEqual([]);
      await second.resumeInterrupted();
      expect(transitions(bus, id)).toEqual([['SUCCEEDED', entry.sequence.toString()]]);
      expect((await journal.load())[0]?.announced).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('names a malformed journal file', async () => {
    await fs.mkdir(path.join(lake.home, 'query-engine', 'queries'), { recursive: true });
    await fs.writeFile(path.join(lake.home, 'query-engine', 'queries', 'x.json'), '{"input": {}}');
    await expect(open()).rejects.toThrow(/query journal file .*x\.json is malformed/);
  });
});
