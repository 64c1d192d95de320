import * as path from 'node:path';
import { QueryState, runQuery } from '../../../../handlers/ports/query-engine';
import * as tableView from '../../../../infra/emulators/query/table-view-sql';
import { makeLake, type Lake } from './query-fixtures';

describe('CatalogViews: a file a swap deleted after the listing', () => {
  let lake: Lake;
  beforeEach(async () => {
    lake = await makeLake();
    await lake.catalog.createTable('contract_db', {
      Name: 'other', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'json' }, PartitionKeys: [],
      StorageDescriptor: { Location: 's3://tributary-refined/other/', Columns: [{ Name: 'x', Type: 'bigint' }], SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' } },
    });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await lake.cleanup();
  });

  /** Makes the listing of table `other` name a file that is gone, `times` times (then the real listing). */
  function listGoneFile(times: number): void {
    const real = tableView.tableViewSql;
    let left = times;
    jest.spyOn(tableView, 'tableViewSql').mockImplementation(async (home, table, partitions, fileColumns, only) => {
      if (table.Name !== 'other' || left-- <= 0) return real(home, table, partitions, fileColumns, only);
      const gone = path.join(lake.home, 'lake', 'refined', 'other', 'swapped-away.jsonl');
      return `SELECT *, filename AS "$path" FROM read_json_auto(['${gone}'], filename = true)`;
    });
  }

  const query = (sql: string) => runQuery(lake.engine, { QueryString: sql, QueryExecutionContext: { Database: 'contract_db' }, WorkGroup: 'etl' }, { timeoutMs: 20000 });

  it('lists again, so a query of another table is not failed by it', async () => {
    listGoneFile(1);
    const execution = await query('SELECT count(*) FROM readings');
    expect(execution.Status.State).toBe(QueryState.Succeeded);
  });

  it('when the files keep vanishing, only a query that reads that table fails, with the reason', async () => {
    listGoneFile(1000);
    expect((await query('SELECT count(*) FROM readings')).Status.State).toBe(QueryState.Succeeded);
    const failed = await query('SELECT count(*) FROM other');
    expect(failed.Status.State).toBe(QueryState.Failed);
    expect(failed.Status.StateChangeReason ?? failed.Status.AthenaError?.ErrorMessage).toMatch(/swapped-away\.jsonl/);
  });

  it('keeps the columns of a table it cannot read, so a view over it compiles and raises only when read', async () => {
    listGoneFile(1000);
    expect((await query('CREATE OR REPLACE VIEW contract_db.other_x AS SELECT x FROM other')).Status.State).toBe(QueryState.Succeeded);
    const failed = await query('SELECT count(*) FROM other_x');
    expect(failed.Status.State).toBe(QueryState.Failed);
    expect(failed.Status.StateChangeReason ?? failed.Status.AthenaError?.ErrorMessage).toMatch(/table contract_db\.other cannot be read/);
  });
});
