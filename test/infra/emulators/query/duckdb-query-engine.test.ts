import type { CatalogPort } from '../../../../handlers/ports/catalog';
import { queryEngineContract } from '../../../handlers/ports/query-engine.contract';
import { makeLake } from './query-fixtures';

queryEngineContract('DuckDbQueryEngine (Map-backed catalog, temp lake)', async () => {
  const lake = await makeLake();
  return { engine: lake.engine, cleanup: () => lake.cleanup() };
});

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { QueryState, runQuery, type QueryExecution } from '../../../../handlers/ports/query-engine';
import { AthenaQueryStateChangeEventSchema } from '../../../../contracts/aws-events';
import { duckWrite, PARQUET, type Lake } from './query-fixtures';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('DuckDbQueryEngine', () => {
  let lake: Lake;
  beforeEach(async () => {
    lake = await makeLake();
  });
  afterEach(async () => {
    await lake.cleanup();
  });
  const run = (sql: string): Promise<QueryExecution> =>
    runQuery(lake.engine, { QueryString: sql, QueryExecutionContext: { Database: 'contract_db' }, WorkGroup: 'etl' }, { timeoutMs: 20000 });
  const rows = async (sql: string): Promise<(string | undefined)[][]> => {
    const execution = await run(sql);
    if (execution.Status.State !== QueryState.Succeeded) throw new Error(execution.Status.StateChangeReason);
    const results = await lake.engine.getQueryResults(execution.QueryExecutionId);
    return results.ResultSet.Rows.slice(execution.StatementType === 'DML' ? 1 : 0).map((r) => r.Data.map((d) => d.VarCharValue));
  };

  it('emits QUEUED, RUNNING, SUCCEEDED state changes with increasing sequence numbers on bus default', async () => {
    const execution = await run('SELECT 1');
    const details = lake.bus.entries.map((e) => JSON.parse(e.Detail ?? '{}'));
    expect(lake.bus.entries.every((e) => e.Source === 'aws.athena' && e.DetailType === 'Athena Query State Change' && e.EventBusName === 'default')).toBe(true);
    expect(details).toEqual([
      { versionId: '0', currentState: 'QUEUED', statementType: 'DML', queryExecutionId: execution.QueryExecutionId, workgroupName: 'etl', sequenceNumber: '1' },
      { versionId: '0', currentState: 'RUNNING', previousState: 'QUEUED', statementType: 'DML', queryExecutionId: execution.QueryExecutionId, workgroupName: 'etl', sequenceNumber: '2' },
      { versionId: '0', currentState: 'SUCCEEDED', previousState: 'RUNNING', statementType: 'DML', queryExecutionId: execution.QueryExecutionId, workgroupName: 'etl', sequenceNumber: '3' },
    ]);
  });

  it('emits details that, in the envelope the bus adds, satisfy the Athena Query State Change contract', async () => {
    await run('SELECT 1');
    await run('SELECT * FROM missing');
    for (const entry of lake.bus.entries) {
      const envelope = {
        version: '0', id: 'x', 'detail-type': entry.DetailType, source: entry.Source, account: '000000000000',
        time: (entry.Time ?? new Date()).toISOString(), region: 'us-east-1', resources: entry.Resources, detail: JSON.parse(entry.Detail ?? 'null'),
      };
      expect(AthenaQueryStateChangeEventSchema.safeParse(envelope).error).toBeUndefined();
    }
    expect(lake.bus.entries).toHaveLength(6);
  });

  it('maps error positions back to the Athena text across lines and rewritten functions', async () => {
    const multiLine = await run('SELECT sensor,\n       nosuch\nFROM readings');
    expect(multiLine.Status.StateChangeReason).toBe("COLUMN_NOT_FOUND: line 2:8: Column 'nosuch' cannot be resolved");
    const afterRewrite = await run("SELECT date_add('day', 1, DATE '2024-01-01'), regexp_like('a', 'a') FROM other.missing");
    expect(afterRewrite.Status.StateChangeReason).toBe("TABLE_NOT_FOUND: line 1:74: Table 'awsdatacatalog.other.missing' does not exist");
  });

  it('fails an unterminated string as SYNTAX_ERROR at its position and refuses an over-long query at start', async () => {
    expect((await run("SELECT 1,\n  'abc")).Status.StateChangeReason).toBe('SYNTAX_ERROR: line 2:3: unterminated string literal');
    await expect(lake.engine.startQueryExecution({ QueryString: `SELECT '${'x'.repeat(262_144)}'` })).rejects.toThrow(/at most 262144/);
  });

  it('answers SHOW and DESCRIBE from the catalog with Athena column names', async () => {
    expect(await rows('SHOW DATABASES')).toEqual([['contract_db']]);
    expect(await rows("SHOW TABLES IN contract_db 'read*'")).toEqual([['readings']]);
    expect(await rows('SHOW COLUMNS IN readings')).toEqual([['sensor'], ['speed'], ['lanes'], ['dt']]);
    expect(await rows('SHOW PARTITIONS contract_db.readings')).toEqual([['dt=2024-01-01'], ['dt=2024-01-02']]);
    expect((await rows('DESCRIBE readings'))[0]).toEqual(['sensor', 'varchar', '']);
  });

  it('reads unnamed (non-hive) partition folders with the values the catalog holds', async () => {
    const base = path.join(lake.home, 'lake', 'raw', 'plain');
    await fs.mkdir(path.join(base, '2024', '05'), { recursive: true });
    await duckWrite(`COPY (SELECT 1 AS v) TO '${path.join(base, '2024', '05', 'x.parquet')}' (FORMAT parquet)`);
    await lake.catalog.createTable('contract_db', {
      Name: 'plain', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'parquet' },
      PartitionKeys: [{ Name: 'partition_0', Type: 'string' }, { Name: 'partition_1', Type: 'string' }],
      StorageDescriptor: { ...PARQUET, Location: 's3://tributary-raw/plain/', Columns: [{ Name: 'v', Type: 'bigint' }] },
    });
    await lake.catalog.batchCreatePartition('contract_db', 'plain', [{ Values: ['2024', '05'], StorageDescriptor: { Location: 's3://tributary-raw/plain/2024/05/', Columns: [] } }]);
    expect(await rows('SELECT v, partition_0, partition_1 FROM plain')).toEqual([['1', '2024', '05']]);
  });

  it('resolves a catalog view given as plain SQL text, and reports a broken table only when it is queried', async () => {
    await lake.catalog.createTable('contract_db', {
      Name: 'plain_view', TableType: 'VIRTUAL_VIEW', Parameters: {}, PartitionKeys: [], ViewOriginalText: 'SELECT count(*) AS n FROM readings',
      StorageDescriptor: { Location: '', Columns: [] },
    });
    await lake.catalog.createTable('contract_db', {
      Name: 'broken', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'parquet' }, PartitionKeys: [],
      StorageDescriptor: { Location: 's3://someone-elses-bucket/x/', Columns: [{ Name: 'a', Type: 'bigint' }] },
    });
    expect(await rows('SELECT n FROM plain_view')).toEqual([['3']]);
    const broken = await run('SELECT * FROM broken');
    expect(broken.Status.StateChangeReason).toMatch(/someone-elses-bucket is not a lake zone/);
  });

  it('reads a declared column no Parquet file has yet as NULL, and isolates a corrupt file to its own table', async () => {
    const table = await lake.catalog.getTable('contract_db', 'readings');
    if (!table) throw new Error('fixture missing');
    const { DatabaseName: _db, ...input } = table;
    await lake.catalog.updateTable('contract_db', { ...input, StorageDescriptor: { ...input.StorageDescriptor, Columns: [...input.StorageDescriptor.Columns, { Name: 'added_later', Type: 'string' }] } });
    expect(await rows("SELECT sensor, added_later FROM readings WHERE dt = '2024-01-02'")).toEqual([['s1', undefined]]);
    await fs.mkdir(path.join(lake.home, 'lake', 'raw', 'bad'), { recursive: true });
    await fs.writeFile(path.join(lake.home, 'lake', 'raw', 'bad', 'x.parquet'), 'not parquet');
    await lake.catalog.createTable('contract_db', {
      Name: 'bad', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'parquet' }, PartitionKeys: [],
      StorageDescriptor: { ...PARQUET, Location: 's3://tributary-raw/bad/', Columns: [{ Name: 'a', Type: 'bigint' }] },
    });
    expect(await rows('SELECT count(*) FROM readings')).toEqual([['3']]);
    expect((await run('SELECT * FROM bad')).Status.StateChangeReason).toMatch(/x\.parquet/);
  });

  it('re-reads a table for a query that names it, directly or through a catalog view, and not for one that cannot read it', async () => {
    await lake.catalog.createTable('contract_db', {
      Name: 'fast', TableType: 'VIRTUAL_VIEW', Parameters: {}, PartitionKeys: [], ViewOriginalText: 'SELECT count(*) AS n FROM readings WHERE speed > 15',
      StorageDescriptor: { Location: '', Columns: [] },
    });
    expect(await rows('SELECT n FROM fast')).toEqual([['2']]);
    const partitionsRead = recordPartitionReads(lake.catalog);
    await addReading(lake.home);
    expect(await rows('SELECT count(*) FROM events')).toEqual([['2']]);
    expect(partitionsRead).not.toContain('contract_db.readings');
    expect(await rows('SELECT n FROM fast')).toEqual([['3']]);
    expect(partitionsRead).toContain('contract_db.readings');
    expect(await rows('SELECT count(*) FROM "readings"')).toEqual([['4']]);
  });

  it('re-reads only the schema\'s table a qualified name names, not the tables of that name in other schemas', async () => {
    await lake.catalog.createDatabase({ Name: 'other_db' });
    await fs.mkdir(path.join(lake.home, 'lake', 'refined', 'other'), { recursive: true });
    await duckWrite(`COPY (SELECT 's9' AS sensor) TO '${path.join(lake.home, 'lake', 'refined', 'other', 'o.parquet')}' (FORMAT parquet)`);
    await lake.catalog.createTable('other_db', {
      Name: 'readings', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'parquet' }, PartitionKeys: [],
      StorageDescriptor: { ...PARQUET, Location: 's3://tributary-refined/other/', Columns: [{ Name: 'sensor', Type: 'string' }] },
    });
    expect(await rows('SELECT count(*) FROM other_db.readings')).toEqual([['1']]);
    const partitionsRead = recordPartitionReads(lake.catalog);
    await addReading(lake.home);
    expect(await rows('SELECT count(*) FROM awsdatacatalog.other_db."readings"')).toEqual([['1']]);
    expect(partitionsRead).not.toContain('contract_db.readings');
    expect(await rows('SELECT count(*) FROM contract_db.readings')).toEqual([['4']]);
    expect(partitionsRead).toContain('contract_db.readings');
  });

  it('keeps DuckDB itself away from files outside the lake, even for pipeline queries', async () => {
    const execution = await run("SELECT * FROM read_csv('/etc/passwd')");
    expect(execution.Status.StateChangeReason).toMatch(/^PERMISSION_DENIED: .*\/etc\/passwd/);
  });

  it('fails an INSERT whose column count differs from the table, writing nothing', async () => {
    const execution = await run("INSERT INTO readings SELECT 's', 1.0");
    expect(execution.Status.StateChangeReason).toBe("TYPE_MISMATCH: Insert query has 2 columns but table 'awsdatacatalog.contract_db.readings' has 4");
  });

  it('resolves whenQueryFinished once a query is terminal (succeeded or failed), and at once for an unknown id', async () => {
    for (const sql of ['SELECT 1', 'SELECT * FROM no_such_table']) {
      const { QueryExecutionId } = await lake.engine.startQueryExecution({ QueryString: sql, QueryExecutionContext: { Database: 'contract_db' } });
      await lake.engine.whenQueryFinished(QueryExecutionId);
      expect(['SUCCEEDED', 'FAILED']).toContain((await lake.engine.getQueryExecution(QueryExecutionId)).Status.State);
      expect(lake.bus.entries.map((e) => JSON.parse(e.Detail ?? '{}')).filter((d) => d.queryExecutionId === QueryExecutionId).map((d) => d.currentState)).toHaveLength(3);
    }
    await expect(lake.engine.whenQueryFinished('unknown')).resolves.toBeUndefined();
  });

  it('emits FAILED with athenaError for a failing query', async () => {
    await run('SELECT * FROM contract_db.missing');
    const last = JSON.parse(lake.bus.entries.at(-1)?.Detail ?? '{}');
    expect(last.currentState).toBe('FAILED');
    expect(last.athenaError).toMatchObject({ errorCategory: 2, retryable: false, errorMessage: "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.contract_db.missing' does not exist" });
  });

  it('exposes "$path" as the object s3 URI, skips _-prefixed files, reads JSON lines with declared columns', async () => {
    expect(await rows('SELECT DISTINCT "$path" FROM readings ORDER BY 1')).toEqual([
      ['s3://tributary-refined/readings/dt=2024-01-01/a.parquet'], ['s3://tributary-refined/readings/dt=2024-01-02/b.parquet'],
    ]);
    expect(await rows('SELECT id, kind, "$path" FROM events ORDER BY id')).toEqual([
      ['1', 'a', 's3://tributary-raw/events/part-1.json'], ['2', 'b', 's3://tributary-raw/events/part-1.json'],
    ]);
  });

  it('reads only the files of the objects a top-level "$path" filter keeps', async () => {
    const dir = path.join(lake.home, 'lake', 'raw', 'mixed');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'good-1.json'), '{"id": 1}\n{"id": 2}\n');
    await fs.writeFile(path.join(dir, 'good-2.json'), '{"id": 3}\n');
    // Not JSON: every query that parses this file fails, so a success proves it was not read.
    await fs.writeFile(path.join(dir, 'broken.json'), '{"id": 4}\nthis is not json\n');
    await lake.catalog.createTable('contract_db', {
      Name: 'mixed', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'json' }, PartitionKeys: [],
      StorageDescriptor: { Location: 's3://tributary-raw/mixed/', Columns: [{ Name: 'id', Type: 'bigint' }] },
    });
    const good1 = 's3://tributary-raw/mixed/good-1.json';
    const good2 = 's3://tributary-raw/mixed/good-2.json';
    expect(await rows(`SELECT id FROM mixed WHERE "$path" = '${good1}' ORDER BY id`)).toEqual([['1'], ['2']]);
    expect(await rows(`SELECT count(*) FROM contract_db.mixed m WHERE m.id > 1 AND m."$path" IN ('${good1}', '${good2}', 's3://tributary-raw/mixed/gone.json')`)).toEqual([['2']]);
    expect(await rows(`WITH kept AS (SELECT id, "$path" AS p FROM mixed WHERE "$path" IN ('${good2}')) SELECT id, p FROM kept`)).toEqual([['3', good2]]);
    expect(await rows(`SELECT count(*) FROM mixed WHERE "$path" IN ('s3://tributary-raw/mixed/gone.json')`)).toEqual([['0']]);
    // Without such a filter (none, or one under OR) every file is read, the broken one too.
    for (const sql of ['SELECT sum(id) FROM mixed', `SELECT sum(id) FROM mixed WHERE "$path" = '${good1}' OR id = 3`]) {
      const execution = await run(sql);
      expect(execution.Status.State).toBe(QueryState.Failed);
    }
  });

  it('matches JSON keys to lower-case catalog columns case-insensitively and keeps string values verbatim', async () => {
    await fs.mkdir(path.join(lake.home, 'lake', 'raw', 'camel'), { recursive: true });
    await fs.writeFile(path.join(lake.home, 'lake', 'raw', 'camel', 'a.json'), '{"uniqueId": "u1", "recordTimestamp": "2026-01-05T00:00:31Z", "currentSpeed": 42}\n{"uniqueId": "u2"}\n');
    await lake.catalog.createTable('contract_db', {
      Name: 'camel', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'json' }, PartitionKeys: [],
      StorageDescriptor: { Location: 's3://tributary-raw/camel/', Columns: [{ Name: 'uniqueid', Type: 'string' }, { Name: 'recordtimestamp', Type: 'string' }, { Name: 'currentspeed', Type: 'double' }, { Name: 'nowhere', Type: 'bigint' }] },
    });
    expect(await rows('SELECT uniqueid, recordtimestamp, currentspeed, nowhere FROM camel ORDER BY uniqueid')).toEqual([
      ['u1', '2026-01-05T00:00:31Z', '42.0', undefined], ['u2', undefined, undefined, undefined],
    ]);
  });

  it('sees a JSON key that only a newly added or a rewritten file carries (keys are remembered per file, by size and mtime)', async () => {
    const dir = path.join(lake.home, 'lake', 'raw', 'growing');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'a.json'), '{"id": 1}\n');
    await lake.catalog.createTable('contract_db', {
      Name: 'growing', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'json' }, PartitionKeys: [],
      StorageDescriptor: { Location: 's3://tributary-raw/growing/', Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'speed', Type: 'bigint' }, { Name: 'lane', Type: 'string' }] },
    });
    expect(await rows('SELECT id, speed, lane FROM growing ORDER BY id')).toEqual([['1', undefined, undefined]]);
    await fs.writeFile(path.join(dir, 'b.json'), '{"id": 2, "Speed": 50}\n');
    expect(await rows('SELECT id, speed, lane FROM growing ORDER BY id')).toEqual([['1', undefined, undefined], ['2', '50', undefined]]);
    await fs.writeFile(path.join(dir, 'a.json'), '{"id": 1, "lane": "left"}\n');
    expect(await rows('SELECT id, speed, lane FROM growing ORDER BY id')).toEqual([['1', undefined, 'left'], ['2', '50', undefined]]);
  });

  it('names unaliased result columns as Athena does (_colN), keeping aliases and plain column names', async () => {
    const execution = await run('SELECT count(*), sensor, r.speed, speed + 1 AS faster, max(lanes) FROM readings r GROUP BY sensor, r.speed');
    const results = await lake.engine.getQueryResults(execution.QueryExecutionId);
    expect(results.ResultSet.Rows[0]?.Data.map((d) => d.VarCharValue)).toEqual(['_col0', 'sensor', 'speed', 'faster', '_col4']);
    expect(results.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Name)).toEqual(['_col0', 'sensor', 'speed', 'faster', '_col4']);
  });

  it('hides "$path" from SELECT * (as Athena does) yet serves it by name, qualified, aliased and beside CTEs', async () => {
    const star = await run('SELECT * FROM readings LIMIT 1');
    expect((await lake.engine.getQueryResults(star.QueryExecutionId)).ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Name)).toEqual(['sensor', 'speed', 'lanes', 'dt']);
    expect(await rows('SELECT count(DISTINCT readings."$path") FROM contract_db.readings')).toEqual([['2']]);
    expect(await rows(`WITH s AS (SELECT "$path" AS p, sensor FROM readings r WHERE r.sensor = 's2') SELECT p FROM s`)).toEqual([['s3://tributary-refined/readings/dt=2024-01-01/a.parquet']]);
    const copy = await run("INSERT INTO readings SELECT * FROM readings WHERE dt = '2024-01-02'");
    expect(copy.Status.StateChangeReason).toBeUndefined();
    expect(await rows("SELECT count(*) FROM readings WHERE dt = '2024-01-02'")).toEqual([['2']]);
  });

  it('reads CSV honouring delimiter and header-skip parameters, bad numbers as NULL, a column only later files have as NULL', async () => {
    await fs.mkdir(path.join(lake.home, 'lake', 'raw', 'csv'), { recursive: true });
    await fs.writeFile(path.join(lake.home, 'lake', 'raw', 'csv', 'a.csv'), 'name|n\nx|1\ny|oops\n');
    await fs.writeFile(path.join(lake.home, 'lake', 'raw', 'csv', 'b.csv'), 'name|n|extra\nz|3|e\n');
    await lake.catalog.createTable('contract_db', {
      Name: 'csvt', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'csv', delimiter: '|', 'skip.header.line.count': '1' }, PartitionKeys: [],
      StorageDescriptor: { Location: 's3://tributary-raw/csv/', Columns: [{ Name: 'name', Type: 'string' }, { Name: 'n', Type: 'bigint' }, { Name: 'extra', Type: 'string' }], SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': '|' } } },
    });
    expect(await rows('SELECT name, n, extra FROM csvt ORDER BY name')).toEqual([['x', '1', undefined], ['y', undefined, undefined], ['z', '3', 'e']]);
  });

  it('lists catalog tables and columns in information_schema under Athena names', async () => {
    expect(await rows("SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema = 'contract_db' ORDER BY table_name")).toEqual([
      ['awsdatacatalog', 'contract_db', 'events', 'BASE TABLE'], ['awsdatacatalog', 'contract_db', 'readings', 'BASE TABLE'],
    ]);
    expect(await rows("SELECT column_name, data_type, ordinal_position, extra_info FROM information_schema.columns WHERE table_name = 'readings' ORDER BY ordinal_position")).toEqual([
      ['sensor', 'varchar', '1', ''], ['speed', 'double', '2', ''], ['lanes', 'integer', '3', ''], ['dt', 'varchar', '4', 'partition key'],
    ]);
  });

  it('INSERT INTO writes new Snappy Parquet files per query under hive folders and registers the partitions', async () => {
    const first = await run("INSERT INTO readings SELECT 's7', 1.5, 2, '2024-02-01'");
    expect(first.Status.State).toBe(QueryState.Succeeded);
    expect((await lake.engine.getQueryResults(first.QueryExecutionId)).UpdateCount).toBe(1);
    await run("INSERT INTO contract_db.readings SELECT 's8', 2.5, 2, '2024-02-01'");
    const dir = path.join(lake.home, 'lake', 'refined', 'readings', 'dt=2024-02-01');
    const files = await listFiles(dir);
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('.parquet'))).toBe(true);
    expect((await lake.catalog.getPartitions('contract_db', 'readings')).map((p) => p.Values[0])).toContain('2024-02-01');
    expect(await rows("SELECT sensor FROM readings WHERE dt = '2024-02-01' ORDER BY sensor")).toEqual([['s7'], ['s8']]);
    const codec = await rows(`SELECT DISTINCT compression FROM parquet_metadata('${path.join(dir, files[0] ?? '')}')`).catch((e: Error) => [[e.message]]);
    expect(codec).toEqual([['SNAPPY']]);
  });

  it('INSERT INTO accepts a WITH query that ends in a line comment', async () => {
    const execution = await run("INSERT INTO readings\n-- refine\nWITH src AS (SELECT 's5' AS sensor)\nSELECT sensor, 5.0, 5, '2024-03-01' FROM src -- trailing comment");
    expect(execution.Status.State).toBe(QueryState.Succeeded);
    expect(await rows("SELECT sensor FROM readings WHERE dt = '2024-03-01'")).toEqual([['s5']]);
  });

  it('round-trips partition values that need escaping, and NULL, through INSERT, catalog and reads', async () => {
    const execution = await run("INSERT INTO readings SELECT sensor, 1.0, 1, dt FROM (VALUES ('a', 'x/y: z'), ('b', NULL), ('c', '100%')) AS t(sensor, dt)");
    expect(execution.Status.State).toBe(QueryState.Succeeded);
    const values = (await lake.catalog.getPartitions('contract_db', 'readings')).map((p) => p.Values[0]);
    expect(values).toEqual(expect.arrayContaining(['x/y: z', '__HIVE_DEFAULT_PARTITION__', '100%']));
    expect(await rows("SELECT sensor, dt FROM readings WHERE sensor IN ('a', 'b', 'c') ORDER BY sensor")).toEqual([['a', 'x/y: z'], ['b', undefined], ['c', '100%']]);
  });

  it('fails a write of more than 100 partitions with HIVE_TOO_MANY_OPEN_PARTITIONS and writes nothing', async () => {
    const before = await listFiles(path.join(lake.home, 'lake'));
    const execution = await run("INSERT INTO readings SELECT 's', 1.0, 1, CAST(x AS varchar) FROM UNNEST(sequence(1, 101)) AS t(x)");
    expect(execution.Status.State).toBe(QueryState.Failed);
    expect(execution.Status.StateChangeReason).toBe('HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers for partitions/buckets');
    expect(await listFiles(path.join(lake.home, 'lake'))).toEqual(before);
    expect(await lake.catalog.getPartitions('contract_db', 'readings')).toHaveLength(2);
    const ok = await run("INSERT INTO readings SELECT 's', 1.0, 1, CAST(x AS varchar) FROM UNNEST(sequence(1, 100)) AS t(x)");
    expect(ok.Status.State).toBe(QueryState.Succeeded);
    expect(await lake.catalog.getPartitions('contract_db', 'readings')).toHaveLength(102);
  });

  it('UNLOAD writes partitioned Parquet to the target and refuses a non-empty target', async () => {
    const sql = "UNLOAD (SELECT sensor, speed, dt FROM readings) TO 's3://tributary-forecast/out/' WITH (format = 'PARQUET', partitioned_by = ARRAY['dt'])";
    expect((await run(sql)).Status.State).toBe(QueryState.Succeeded);
    const files = await listFiles(path.join(lake.home, 'lake', 'forecast', 'out'));
    expect(files.map((f) => path.dirname(f))).toEqual(['dt=2024-01-01', 'dt=2024-01-02']);
    const again = await run(sql);
    expect(again.Status.StateChangeReason).toMatch(/^HIVE_PATH_ALREADY_EXISTS: /);
    expect((await run("UNLOAD (SELECT sensor FROM readings) TO 's3://tributary-forecast/flat/' WITH (format = 'PARQUET')")).Status.StateChangeReason).toBeUndefined();
    expect((await listFiles(path.join(lake.home, 'lake', 'forecast', 'flat'))).map((f) => path.extname(f))).toEqual(['.parquet']);
  });

  it('UNLOAD writes partitioned JSON lines (which DuckDB cannot partition itself), NULL under the Hive default folder', async () => {
    const sql = "UNLOAD (SELECT sensor, speed, CASE WHEN dt = '2024-01-02' THEN NULL ELSE 'a b/c' END AS tag FROM readings) TO 's3://tributary-forecast/json/' WITH (format = 'JSON', partitioned_by = ARRAY['tag'])";
    const execution = await run(sql);
    expect(execution.Status.StateChangeReason).toBeUndefined();
    expect((await lake.engine.getQueryResults(execution.QueryExecutionId)).UpdateCount).toBe(3);
    const dir = path.join(lake.home, 'lake', 'forecast', 'json');
    const files = await listFiles(dir);
    expect(files.map((f) => path.dirname(f))).toEqual(['tag=__HIVE_DEFAULT_PARTITION__', 'tag=a%20b%2Fc']);
    const lines = async (f: string): Promise<unknown[]> => (await fs.readFile(path.join(dir, f), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(await lines(files[0] ?? '')).toEqual([{ sensor: 's1', speed: 30 }]);
    expect(await lines(files[1] ?? '')).toEqual([{ sensor: 's1', speed: 10.5 }, { sensor: 's2', speed: 20 }]);
  });

  it('CTAS creates the catalog table with Glue types, partitions and files', async () => {
    const execution = await run("CREATE TABLE contract_db.fast WITH (format = 'PARQUET', external_location = 's3://tributary-refined/fast/', partitioned_by = ARRAY['dt']) AS SELECT sensor, speed, lanes, dt FROM readings WHERE speed > 15");
    expect(execution.Status.State).toBe(QueryState.Succeeded);
    const table = await lake.catalog.getTable('contract_db', 'fast');
    expect(table?.StorageDescriptor.Columns).toEqual([{ Name: 'sensor', Type: 'string' }, { Name: 'speed', Type: 'double' }, { Name: 'lanes', Type: 'int' }]);
    expect(table?.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(await rows('SELECT sensor, dt FROM fast ORDER BY dt')).toEqual([['s2', '2024-01-01'], ['s1', '2024-01-02']]);
    expect((await run("CREATE TABLE contract_db.fast WITH (external_location = 's3://tributary-refined/fast2/') AS SELECT 1 AS a")).Status.StateChangeReason)
      .toBe("ALREADY_EXISTS: Table 'awsdatacatalog.contract_db.fast' already exists");
  });

  it('CTAS with format JSON writes JSON lines the engine reads back through the catalog', async () => {
    const execution = await run("CREATE TABLE j WITH (format = 'JSON', external_location = 's3://tributary-forecast/j/') AS SELECT sensor, speed FROM readings WHERE dt = '2024-01-02'");
    expect(execution.Status.StateChangeReason).toBeUndefined();
    expect((await lake.catalog.getTable('contract_db', 'j'))?.StorageDescriptor.SerdeInfo?.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    const files = await listFiles(path.join(lake.home, 'lake', 'forecast', 'j'));
    expect(JSON.parse(await fs.readFile(path.join(lake.home, 'lake', 'forecast', 'j', files[0] ?? ''), 'utf8'))).toEqual({ sensor: 's1', speed: 30 });
    expect(await rows('SELECT sensor, speed FROM j')).toEqual([['s1', '30.0']]);
  });

  it('INSERT INTO an unpartitioned JSON table appends a new file', async () => {
    expect((await run("INSERT INTO events VALUES (3, 'c', '2024-01-01 12:00:00')")).Status.StateChangeReason).toBeUndefined();
    expect(await listFiles(path.join(lake.home, 'lake', 'raw', 'events'))).toHaveLength(2);
    expect(await rows('SELECT id, kind FROM events ORDER BY id')).toEqual([['1', 'a'], ['2', 'b'], ['3', 'c']]);
  });

  it('CREATE OR REPLACE VIEW stores an Athena Presto view that resolves in later queries', async () => {
    expect((await run('CREATE OR REPLACE VIEW fast_readings AS SELECT sensor, speed FROM readings WHERE speed > 15')).Status.State).toBe(QueryState.Succeeded);
    const view = await lake.catalog.getTable('contract_db', 'fast_readings');
    expect(view?.TableType).toBe('VIRTUAL_VIEW');
    expect(view?.ViewOriginalText).toMatch(/^\/\* Presto View: [A-Za-z0-9+/=]+ \*\/$/);
    expect(await rows('SELECT sensor FROM contract_db.fast_readings ORDER BY speed')).toEqual([['s2'], ['s1']]);
    expect((await run('DROP VIEW fast_readings')).Status.State).toBe(QueryState.Succeeded);
    expect((await run('SELECT * FROM fast_readings')).Status.StateChangeReason).toMatch(/^TABLE_NOT_FOUND/);
  });
});

describe('DuckDbQueryEngine in readOnly mode', () => {
  let lake: Lake;
  beforeAll(async () => {
    lake = await makeLake({ readOnly: true });
  });
  afterAll(async () => {
    await lake.cleanup();
  });
  const reason = async (sql: string): Promise<string | undefined> =>
    (await runQuery(lake.engine, { QueryString: sql, QueryExecutionContext: { Database: 'contract_db' } })).Status.StateChangeReason;

  it('runs SELECT, SHOW and DESCRIBE over catalog tables', async () => {
    expect(await reason('SELECT count(*) FROM readings')).toBeUndefined();
    expect(await reason('DESCRIBE readings')).toBeUndefined();
    expect(await reason('EXPLAIN SELECT * FROM readings')).toBeUndefined();
  });

  it.each([
    ["SELECT * FROM read_csv('/etc/passwd')", /PERMISSION_DENIED: .*table function 'read_csv'/],
    ["SELECT * FROM read_parquet('x.parquet')", /PERMISSION_DENIED: .*read_parquet/],
    ["SELECT * FROM glob('/*')", /PERMISSION_DENIED: .*glob/],
    ["SELECT * FROM '/etc/passwd.csv'", /PERMISSION_DENIED: .*reading files directly/],
    ["SELECT * FROM (SELECT * FROM read_json_auto('/etc/x.json'))", /PERMISSION_DENIED: .*read_json_auto/],
    ["SELECT getenv('HOME')", /PERMISSION_DENIED: .*getenv/],
    ["INSERT INTO readings SELECT 's', 1.0, 1, 'x'", /PERMISSION_DENIED: .*INSERT/],
    ["COPY (SELECT 1) TO '/tmp/x.csv'", /SYNTAX_ERROR/],
    ["ATTACH '/tmp/x.db'", /SYNTAX_ERROR/],
    ['SET enable_external_access = true', /SYNTAX_ERROR/],
    ['PRAGMA version', /SYNTAX_ERROR/],
    ["INSTALL httpfs", /SYNTAX_ERROR/],
  ])('rejects %s', async (sql, expected) => {
    expect(await reason(sql)).toMatch(expected);
  });
});

describe('DuckDbQueryEngine result retention', () => {
  it('forgets the oldest finished queries beyond keepResults, and their request tokens', async () => {
    const lake = await makeLake({ keepResults: 2 });
    try {
      const token = 'token-0000000000000000000000000000002';
      const first = await runQuery(lake.engine, { QueryString: 'SELECT 1', ClientRequestToken: token });
      await runQuery(lake.engine, { QueryString: 'SELECT 2' });
      await runQuery(lake.engine, { QueryString: 'SELECT 3' });
      await expect(lake.engine.getQueryExecution(first.QueryExecutionId)).rejects.toThrow(/not found/);
      const again = await lake.engine.startQueryExecution({ QueryString: 'SELECT 1', ClientRequestToken: token });
      expect(again.QueryExecutionId).not.toBe(first.QueryExecutionId);
    } finally {
      await lake.cleanup();
    }
  });
});

describe('DuckDbQueryEngine concurrency and memory bounds', () => {
  // Never ends on its own: only an interrupt stops it.
  const endless = 'SELECT count(*) FROM range(1000000000000) a WHERE a.range < 0';

  it('runs a query while another is still running, each on its own connection', async () => {
    const lake = await makeLake({ connections: 2 });
    try {
      const slow = await lake.engine.startQueryExecution({ QueryString: endless });
      const quick = await runQuery(lake.engine, { QueryString: 'SELECT 42' }, { timeoutMs: 60000 });
      expect(quick.Status.State).toBe(QueryState.Succeeded);
      expect((await lake.engine.getQueryExecution(slow.QueryExecutionId)).Status.State).toBe(QueryState.Running);
      lake.engine.interrupt();
      await lake.engine.whenQueryFinished(slow.QueryExecutionId);
      expect((await lake.engine.getQueryExecution(slow.QueryExecutionId)).Status.State).toBe(QueryState.Failed);
    } finally {
      await lake.cleanup();
    }
  });

  it('keeps finished rows within its byte bound, spilling older results to disk and reading them back', async () => {
    const lake = await makeLake({ resultBytes: 300 * 1024 }); // each result is ~266 KB: one fits
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push((await runQuery(lake.engine, { QueryString: `SELECT ${i} AS k, repeat('x', 100) AS pad FROM range(1000)` })).QueryExecutionId);
      expect(lake.engine.resultBytesInMemory).toBeLessThanOrEqual(300 * 1024);
      const spilled = await fs.readdir(path.join(lake.home, 'query-engine', 'results'));
      expect(spilled).toHaveLength(1);
      expect((await fs.readdir(path.join(lake.home, 'query-engine', 'results', spilled[0] ?? ''))).length).toBe(3);
      const first = await lake.engine.getQueryResults(ids[0] ?? '', { NextToken: '1000', MaxResults: 5 });
      expect(first.ResultSet.Rows.map((r) => r.Data[0]?.VarCharValue)).toEqual(['0']);
      await lake.engine.close();
      await expect(fs.readdir(path.join(lake.home, 'query-engine', 'results'))).resolves.toEqual([]);
    } finally {
      await fs.rm(lake.home, { recursive: true, force: true });
    }
  });

  it('sets DuckDB memory_limit and a temp folder under the home', async () => {
    const lake = await makeLake({ memoryLimit: '256MB' });
    try {
      const done = await runQuery(lake.engine, { QueryString: "SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t" });
      const rows = (await lake.engine.getQueryResults(done.QueryExecutionId)).ResultSet.Rows;
      expect(rows[1]?.Data[0]?.VarCharValue).toMatch(/^2\d\d(\.\d+)? MiB$/);
      expect(rows[1]?.Data[1]?.VarCharValue).toBe(path.join(lake.home, 'query-engine', 'tmp'));
    } finally {
      await lake.cleanup();
    }
  });

  it.each([
    [{ memoryLimit: 'lots' }, /memory limit must be a size/],
    [{ connections: 0 }, /at least 1, got 0/],
  ])('refuses bad settings %j', async (options, message) => {
    await expect(makeLake(options)).rejects.toThrow(message);
  });
});

/** Adds a third reading to contract_db.readings: a file in a partition the catalog already has. */
async function addReading(home: string): Promise<void> {
  await duckWrite(`COPY (SELECT 's3' AS sensor, 50.0 AS speed, 2 AS lanes) TO '${path.join(home, 'lake', 'refined', 'readings', 'dt=2024-01-02', 'd.parquet')}' (FORMAT parquet)`);
}

/** Records each table whose partitions the catalog is asked for (`database.table`), from now on. */
function recordPartitionReads(catalog: Pick<CatalogPort, 'getPartitions'>): string[] {
  const reads: string[] = [];
  const getPartitions = catalog.getPartitions.bind(catalog);
  catalog.getPartitions = async (database, table) => {
    reads.push(`${database}.${table}`);
    return getPartitions(database, table);
  };
  return reads;
}
