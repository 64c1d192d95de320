import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonFileCatalog } from '../../../../infra/emulators/catalog/json-file-catalog';
import { catalogContract, tableInput } from '../../../handlers/ports/catalog.contract';

async function tempHome(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tributary-catalog-'));
}

catalogContract('JsonFileCatalog', async () => {
  const home = await tempHome();
  return { catalog: new JsonFileCatalog(home), dispose: () => fs.rm(home, { recursive: true, force: true }) };
});

describe('JsonFileCatalog on disk', () => {
  let home: string;
  beforeEach(async () => {
    home = await tempHome();
  });
  afterEach(async () => fs.rm(home, { recursive: true, force: true }));

  it('persists databases, tables and partitions across re-open', async () => {
    const first = new JsonFileCatalog(home);
    await first.createDatabase({ Name: 'lake' });
    await first.createTable('lake', tableInput('traffic'));
    await first.batchCreatePartition('lake', 'traffic', [{ Values: ['2024'], StorageDescriptor: { Columns: [], Location: 's3://tributary-raw/traffic/dt=2024/' } }]);
    const reopened = new JsonFileCatalog(home);
    expect((await reopened.getDatabases()).map((d) => d.Name)).toEqual(['lake']);
    expect((await reopened.getTable('lake', 'traffic'))?.StorageDescriptor.Location).toBe('s3://tributary-raw/traffic/');
    expect((await reopened.getPartitions('lake', 'traffic')).map((p) => p.Values)).toEqual([['2024']]);
    expect(await fs.readFile(path.join(home, 'catalog', 'lake', 'tables', 'traffic', 'table.json'), 'utf8')).toContain('"EXTERNAL_TABLE"');
  });

  it('keeps every previous definition as a table version, newest first', async () => {
    const catalog = new JsonFileCatalog(home);
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', tableInput('t'));
    await catalog.updateTable('lake', tableInput('t', [{ Name: 'id', Type: 'bigint' }, { Name: 'a', Type: 'string' }]));
    await catalog.updateTable('lake', tableInput('t', [{ Name: 'id', Type: 'double' }]));
    const versions = await new JsonFileCatalog(home).getTableVersions('lake', 't');
    expect(versions.map((v) => v.VersionId)).toEqual(['2', '1', '0']);
    expect(versions.map((v) => v.Table.StorageDescriptor.Columns.map((c) => `${c.Name}:${c.Type}`).join(','))).toEqual([
      'id:double',
      'id:bigint,a:string',
      'id:bigint',
    ]);
  });

  it('serialises concurrent partition writes to one table without losing any', async () => {
    const catalog = new JsonFileCatalog(home);
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', tableInput('t'));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        catalog.batchCreatePartition('lake', 't', [{ Values: [String(i)], StorageDescriptor: { Columns: [], Location: `s3://tributary-raw/t/dt=${i}/` } }]),
      ),
    );
    expect(await catalog.getPartitions('lake', 't')).toHaveLength(20);
    const leftovers = (await fs.readdir(path.join(home, 'catalog', 'lake', 'tables', 't'))).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('rejects more than 100 partitions per batch, wrong value counts and unsafe names, writing nothing', async () => {
    const catalog = new JsonFileCatalog(home);
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', tableInput('t'));
    const many = Array.from({ length: 101 }, (_, i) => ({ Values: [String(i)], StorageDescriptor: { Columns: [], Location: 's3://x/' } }));
    await expect(catalog.batchCreatePartition('lake', 't', many)).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(catalog.batchCreatePartition('lake', 't', [{ Values: ['a', 'b'], StorageDescriptor: { Columns: [], Location: 's3://x/' } }])).rejects.toThrow(
      /do not match the 1 partition keys/,
    );
    await expect(catalog.createDatabase({ Name: '../escape' })).rejects.toThrow(/Invalid database name/);
    await expect(catalog.getTable('lake', 'a/b')).rejects.toThrow(/Invalid table name/);
    expect(await catalog.getPartitions('lake', 't')).toEqual([]);
  });

  it('updates existing partitions and reports unknown ones', async () => {
    const catalog = new JsonFileCatalog(home);
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', tableInput('t'));
    await catalog.batchCreatePartition('lake', 't', [{ Values: ['a'], StorageDescriptor: { Columns: [], Location: 's3://tributary-raw/t/dt=a/' } }]);
    const result = await catalog.batchUpdatePartition('lake', 't', [
      { Values: ['a'], StorageDescriptor: { Columns: [{ Name: 'x', Type: 'bigint' }], Location: 's3://tributary-raw/t/dt=a/' } },
      { Values: ['b'], StorageDescriptor: { Columns: [], Location: 's3://tributary-raw/t/dt=b/' } },
    ]);
    expect(result.notFound).toEqual([['b']]);
    expect((await catalog.getPartitions('lake', 't'))[0]?.StorageDescriptor.Columns).toEqual([{ Name: 'x', Type: 'bigint' }]);
  });

  it('names a corrupt catalog file instead of returning a bad object', async () => {
    const catalog = new JsonFileCatalog(home);
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', tableInput('t'));
    await fs.writeFile(path.join(home, 'catalog', 'lake', 'tables', 't', 'table.json'), '{"Name": 3}');
    await expect(catalog.getTable('lake', 't')).rejects.toThrow(/table\.json is not a valid record/);
  });
});
