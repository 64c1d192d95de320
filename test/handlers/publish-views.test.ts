import * as path from 'node:path';
import { TRIBUTARY_SOURCE } from '../../contracts/domain-events';
import { handler, viewNameOf } from '../../handlers/publish-views';
import type { GlueTable } from '../../handlers/ports/catalog';
import type { StageDeps } from '../../handlers/stage-deps';
import { FolderDatasetStore } from '../../infra/datasets/folder-dataset-store';
import { localTopology } from '../../infra/local/runtime/embedded-runtime';

const view = (name: string): GlueTable => ({ Name: name, DatabaseName: 'tributary_refined', TableType: 'VIRTUAL_VIEW', Parameters: {}, PartitionKeys: [], StorageDescriptor: { Location: '', Columns: [] } });

const crawled = {
  version: '0', id: 'refined-crawl-2', 'detail-type': 'TableCrawled', source: TRIBUTARY_SOURCE, account: '000000000000', time: new Date().toISOString(), region: 'us-east-1', resources: [],
  detail: { schemaVersion: 1, zone: 'refined', dataset: 'traffic', database: 'tributary_refined', table: 'traffic', partitions: [], schemaChanged: [], crawlerName: 'tributary-traffic-refined', runIds: [] },
};

describe('publish-views', () => {
  it('names a view by its statement, not its file', () => {
    expect(viewNameOf('-- Purpose: jams\n-- more\nCREATE OR REPLACE VIEW :refined_database.traffic_current_jams AS\nSELECT 1')).toBe('traffic_current_jams');
    expect(viewNameOf('/* x */ create view "Db"."My_View" as select 1')).toBe('my_view');
    expect(viewNameOf('SELECT 1')).toBeUndefined();
  });

  it('runs no statement for a crawl that added no columns once the shipped views stand', async () => {
    const statements: string[] = [];
    const deps = {
      datasets: new FolderDatasetStore(path.join(__dirname, '..', '..', 'sql')),
      catalog: { getTable: async (_db: string, name: string) => (['traffic_current_jams', 'traffic_hourly_speed_profile'].includes(name) ? view(name) : undefined) },
      query: { startQueryExecution: async (input: { QueryString: string }) => { statements.push(input.QueryString); throw new Error('no statement expected'); } },
      runs: { clearStageFailure: async () => undefined },
      topology: localTopology,
    } as unknown as StageDeps;
    await handler(crawled, deps);
    expect(statements).toEqual([]);
  });
});
