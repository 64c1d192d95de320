import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addedColumns } from '../../../handlers/stage-kit/added-columns';
import { JsonFileCatalog } from '../../../infra/emulators/catalog/json-file-catalog';
import { tableInput } from '../ports/catalog.contract';

/** A moment strictly after every catalog write so far (the catalog stamps writes in milliseconds). */
async function crawlStarts(): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  const start = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  return start;
}

describe('addedColumns', () => {
  let home: string;
  let catalog: JsonFileCatalog;
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'added-columns-'));
    catalog = new JsonFileCatalog(home);
    await catalog.createDatabase({ Name: 'raw' });
  });
  afterEach(() => fs.rm(home, { recursive: true, force: true }));

  const id = { Name: 'id', Type: 'bigint' };
  const lane = { Name: 'lane', Type: 'string' };

  it('names the columns an update since the crawl started added, against the newest version before it', async () => {
    await catalog.createTable('raw', tableInput('weather', [id]));
    await catalog.updateTable('raw', { ...tableInput('weather', [id]), Parameters: { recordCount: '2' } });
    const start = await crawlStarts();
    await catalog.updateTable('raw', tableInput('weather', [id, lane]));
    await catalog.updateTable('raw', tableInput('weather', [id, lane, { Name: 'gust', Type: 'double' }]));
    expect(await addedColumns(catalog, 'raw', ['weather', 'missing'], start)).toEqual([
      { table: 'weather', addedColumns: [{ name: 'lane', type: 'string' }, { name: 'gust', type: 'double' }] },
    ]);
  });

  it('names every column of a table the crawl created, and nothing for a table it did not change', async () => {
    await catalog.createTable('raw', tableInput('old', [id]));
    const start = await crawlStarts();
    await catalog.createTable('raw', tableInput('fresh', [id, lane]));
    await catalog.updateTable('raw', { ...tableInput('old', [id]), Parameters: { recordCount: '9' } });
    expect(await addedColumns(catalog, 'raw', ['old', 'fresh'], start)).toEqual([{ table: 'fresh', addedColumns: [{ name: 'id', type: 'bigint' }, { name: 'lane', type: 'string' }] }]);
  });
});
