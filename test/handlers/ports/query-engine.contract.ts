import { QueryState, runQuery, type QueryEnginePort, type QueryExecution } from '../../../handlers/ports/query-engine';
import { readQueryRows } from '../../../handlers/stage-kit/read-query-rows';

/** What an adapter under contract provides: an engine whose catalog holds `contract_db` with its fixture tables. */
export interface QueryEngineFixture {
  readonly engine: QueryEnginePort;
  cleanup(): Promise<void>;
}

/**
 * The query-engine port contract. Fixture: database `contract_db`, table `readings` (sensor string,
 * speed double, lanes int; partition dt string) with registered partitions dt=2024-01-01 (rows s1 10.5,
 * s2 20.0) and dt=2024-01-02 (s1 30.0), and a folder dt=2024-01-03 with NO catalog partition; table
 * `events` (JSON lines: id bigint, kind string, at string) with rows (1, a) and (2, b).
 */
export function queryEngineContract(name: string, factory: () => Promise<QueryEngineFixture>): void {
  describe(`QueryEnginePort contract: ${name}`, () => {
    let fixture: QueryEngineFixture;
    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture.cleanup();
    });
    const run = (sql: string, extra: Partial<Parameters<QueryEnginePort['startQueryExecution']>[0]> = {}): Promise<QueryExecution> =>
      runQuery(fixture.engine, { QueryString: sql, QueryExecutionContext: { Database: 'contract_db' }, WorkGroup: 'primary', ...extra }, { timeoutMs: 20000 });
    const values = async (id: string): Promise<(string | undefined)[][]> => {
      const results = await fixture.engine.getQueryResults(id);
      return results.ResultSet.Rows.map((r) => r.Data.map((d) => d.VarCharValue));
    };

    it('runs a SELECT to SUCCEEDED with a header row first and only catalog partitions visible', async () => {
      const execution = await run('SELECT sensor, speed, dt FROM readings ORDER BY dt, sensor');
      expect(execution.Status.State).toBe(QueryState.Succeeded);
      expect(execution.StatementType).toBe('DML');
      expect(await values(execution.QueryExecutionId)).toEqual([
        ['sensor', 'speed', 'dt'], ['s1', '10.5', '2024-01-01'], ['s2', '20.0', '2024-01-01'], ['s1', '30.0', '2024-01-02'],
      ]);
    });

    it('reads a JSON-lines table with its declared column types', async () => {
      const execution = await run('SELECT id + 1 AS next, kind FROM events ORDER BY id');
      expect(await values(execution.QueryExecutionId)).toEqual([['next', 'kind'], ['2', 'a'], ['3', 'b']]);
    });

    it('resolves database-qualified and catalog-qualified names', async () => {
      const execution = await run('SELECT count(*) AS n FROM awsdatacatalog.contract_db.readings r JOIN contract_db.readings s ON r.sensor = s.sensor AND r.dt = s.dt');
      expect(await values(execution.QueryExecutionId)).toEqual([['n'], ['3']]);
    });

    it('reports Trino column types and NULL as an absent VarCharValue', async () => {
      const execution = await run('SELECT CAST(NULL AS varchar) AS v, 7 / 2 AS q, lanes FROM readings LIMIT 1');
      const results = await fixture.engine.getQueryResults(execution.QueryExecutionId);
      expect(results.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Type)).toEqual(['varchar', 'integer', 'integer']);
      expect(results.ResultSet.Rows[1]?.Data[0]).toEqual({});
      expect(results.ResultSet.Rows[1]?.Data[1]).toEqual({ VarCharValue: '3' });
    });

    it('fails an unknown table with TABLE_NOT_FOUND naming it fully, at its position', async () => {
      const execution = await run('SELECT * FROM nosuch');
      expect(execution.Status.State).toBe(QueryState.Failed);
      expect(execution.Status.StateChangeReason).toBe("TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.contract_db.nosuch' does not exist");
      expect(execution.Status.AthenaError).toMatchObject({ ErrorCategory: 2, Retryable: false });
    });

    it("classifies what is wrong with the query as Athena's USER category (2, not retryable), naming the line", async () => {
      const unknownColumn = await run('SELECT sensor,\n  nosuch\nFROM readings');
      expect(unknownColumn.Status.State).toBe(QueryState.Failed);
      expect(unknownColumn.Status.AthenaError).toMatchObject({ ErrorCategory: 2, Retryable: false, ErrorMessage: expect.stringMatching(/^COLUMN_NOT_FOUND: line 2:3: /) });
      const inUnload = await run("UNLOAD (-- a header comment\nSELECT sensor,\n  nosuch\nFROM readings\n) TO 's3://tributary-refined/_staging/contract/unload-user-error/' WITH (format = 'PARQUET')");
      expect(inUnload.Status.AthenaError).toMatchObject({ ErrorCategory: 2, Retryable: false, ErrorMessage: expect.stringMatching(/^COLUMN_NOT_FOUND: line 3:3: /) });
    });

    it('fails bad syntax with SYNTAX_ERROR and refuses results of a failed query', async () => {
      const execution = await run('SELEC 1');
      expect(execution.Status.State).toBe(QueryState.Failed);
      expect(execution.Status.StateChangeReason).toMatch(/^SYNTAX_ERROR: line 1:1: /);
      await expect(fixture.engine.getQueryResults(execution.QueryExecutionId)).rejects.toThrow(/FAILED/);
    });

    it('binds ExecutionParameters to ? in order', async () => {
      const execution = await run('SELECT count(*) FROM readings WHERE sensor = ? AND speed > ?', { ExecutionParameters: ["'s1'", '15'] });
      expect((await values(execution.QueryExecutionId))[1]).toEqual(['1']);
    });

    it('returns the same id for a repeated ClientRequestToken', async () => {
      const a = await fixture.engine.startQueryExecution({ QueryString: 'SELECT 1', ClientRequestToken: 'token-0000000000000000000000000001' });
      const b = await fixture.engine.startQueryExecution({ QueryString: 'SELECT 1', ClientRequestToken: 'token-0000000000000000000000000001' });
      expect(b.QueryExecutionId).toBe(a.QueryExecutionId);
    });

    it('pages results with MaxResults and NextToken', async () => {
      const execution = await run('SELECT x FROM UNNEST(sequence(1, 5)) AS t(x) ORDER BY x');
      const first = await fixture.engine.getQueryResults(execution.QueryExecutionId, { MaxResults: 4 });
      expect(first.ResultSet.Rows).toHaveLength(4);
      const second = await fixture.engine.getQueryResults(execution.QueryExecutionId, { MaxResults: 4, NextToken: first.NextToken });
      expect(second.ResultSet.Rows.map((r) => r.Data[0]?.VarCharValue)).toEqual(['4', '5']);
      expect(second.NextToken).toBeUndefined();
    });

    it('sends no header row for SHOW and DESCRIBE (UTILITY), so readQueryRows keeps their first row and still drops a SELECT header', async () => {
      const rowsOf = async (sql: string) => {
        const execution = await run(sql);
        expect(execution.Status.State).toBe(QueryState.Succeeded);
        return { type: execution.StatementType, byId: await readQueryRows(fixture.engine, execution.QueryExecutionId), byExecution: await readQueryRows(fixture.engine, execution) };
      };
      const tables = await rowsOf('SHOW TABLES');
      expect(tables.type).toBe('UTILITY');
      expect(tables.byId).toEqual([{ tab_name: 'events' }, { tab_name: 'readings' }]);
      expect(tables.byExecution).toEqual(tables.byId);
      expect((await rowsOf('SHOW DATABASES')).byId).toContainEqual({ database_name: 'contract_db' });
      expect((await rowsOf('SHOW PARTITIONS readings')).byId).toEqual([{ partition: 'dt=2024-01-01' }, { partition: 'dt=2024-01-02' }]);
      expect((await rowsOf('SHOW COLUMNS IN readings')).byId.map((r) => r['field'])).toEqual(['sensor', 'speed', 'lanes', 'dt']);
      expect((await rowsOf('DESCRIBE readings')).byId[0]).toEqual({ col_name: 'sensor', data_type: 'varchar', comment: '' });
      const select = await rowsOf('SELECT sensor FROM readings ORDER BY dt, sensor');
      expect(select.byId).toEqual([{ sensor: 's1' }, { sensor: 's2' }, { sensor: 's1' }]);
      expect(select.byExecution).toEqual(select.byId);
    });

    it('rejects an unknown query id', async () => {
      await expect(fixture.engine.getQueryExecution('00000000-0000-0000-0000-000000000000')).rejects.toThrow(/not found/);
    });
  });
}
