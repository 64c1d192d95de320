import type { CatalogPort, GlueTableInput } from '../../../handlers/ports/catalog';

/** A fresh, empty catalog for one test, and how to dispose of it. */
export interface CatalogFixture {
  readonly catalog: CatalogPort;
  readonly dispose: () => Promise<void>;
}

/** A minimal Glue-shaped table input partitioned by `dt`. */
export function tableInput(name: string, columns: { Name: string; Type: string }[] = [{ Name: 'id', Type: 'bigint' }]): GlueTableInput {
  return {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'json' },
    PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    StorageDescriptor: { Columns: columns, Location: `s3://tributary-raw/${name}/`, SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' } },
  };
}

/**
 * The CatalogPort contract: every adapter (local JSON files, Glue with the SDK mocked) passes it.
 * Registers its describe/it blocks; `makeCatalog` gives a fresh empty catalog per test.
 */
export function catalogContract(adapterName: string, makeCatalog: () => Promise<CatalogFixture>): void {
  describe(`CatalogPort contract: ${adapterName}`, () => {
    let fixture: CatalogFixture;
    let catalog: CatalogPort;
    beforeEach(async () => {
      fixture = await makeCatalog();
      catalog = fixture.catalog;
      await catalog.createDatabase({ Name: 'lake' });
    });
    afterEach(async () => fixture.dispose());

    it('creates and lists databases; a second create fails with AlreadyExistsException', async () => {
      await catalog.createDatabase({ Name: 'other', Description: 'second' });
      expect((await catalog.getDatabases()).map((d) => d.Name).sort()).toEqual(['lake', 'other']);
      expect((await catalog.getDatabase('other'))?.Description).toBe('second');
      await expect(catalog.createDatabase({ Name: 'other' })).rejects.toMatchObject({ name: 'AlreadyExistsException' });
      expect(await catalog.getDatabase('missing')).toBeUndefined();
    });

    it('creates a table, reads it back by name in any case, and rejects a duplicate', async () => {
      await catalog.createTable('lake', tableInput('Traffic'));
      const table = await catalog.getTable('lake', 'TRAFFIC');
      expect(table).toMatchObject({ Name: 'traffic', DatabaseName: 'lake', TableType: 'EXTERNAL_TABLE' });
      expect(table?.StorageDescriptor.Columns).toEqual([{ Name: 'id', Type: 'bigint' }]);
      expect(table?.CreateTime).toEqual(expect.any(String));
      await expect(catalog.createTable('lake', tableInput('traffic'))).rejects.toMatchObject({ name: 'AlreadyExistsException' });
      expect((await catalog.getTables('lake')).map((t) => t.Name)).toEqual(['traffic']);
      expect(await catalog.getTable('lake', 'nope')).toBeUndefined();
    });

    it('creating a table in a missing database fails with EntityNotFoundException', async () => {
      await expect(catalog.createTable('nodb', tableInput('t'))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
    });

    it('updates a table in place, keeping CreateTime; updating a missing table fails', async () => {
      await catalog.createTable('lake', tableInput('t'));
      const before = await catalog.getTable('lake', 't');
      await catalog.updateTable('lake', tableInput('t', [{ Name: 'id', Type: 'bigint' }, { Name: 'speed', Type: 'double' }]));
      const after = await catalog.getTable('lake', 't');
      expect(after?.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(['id', 'speed']);
      expect(after?.CreateTime).toBe(before?.CreateTime);
      await expect(catalog.updateTable('lake', tableInput('ghost'))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
    });

    it('keeps every definition an update replaced, by VersionId (GetTableVersion)', async () => {
      await catalog.createTable('lake', tableInput('t'));
      // Version ids count up by one per update; where they start is the catalog's (Glue documents no origin).
      const created = (await catalog.getTable('lake', 't'))?.VersionId ?? '';
      await catalog.updateTable('lake', tableInput('t', [{ Name: 'id', Type: 'bigint' }, { Name: 'speed', Type: 'double' }]));
      const current = (await catalog.getTable('lake', 't'))?.VersionId ?? '';
      expect(Number(current)).toBe(Number(created) + 1);
      expect((await catalog.getTableVersion('lake', 'T', current))?.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(['id', 'speed']);
      const first = await catalog.getTableVersion('lake', 't', created);
      expect(first?.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(['id']);
      expect(first?.UpdateTime).toEqual(expect.any(String));
      expect(await catalog.getTableVersion('lake', 't', String(Number(current) + 5))).toBeUndefined();
      expect(await catalog.getTableVersion('lake', 'ghost', '0')).toBeUndefined();
    });

    it('deletes a table with its partitions', async () => {
      await catalog.createTable('lake', tableInput('t'));
      await catalog.batchCreatePartition('lake', 't', [{ Values: ['2024-01-01'], StorageDescriptor: { Columns: [], Location: 's3://tributary-raw/t/dt=2024-01-01/' } }]);
      await catalog.deleteTable('lake', 't');
      expect(await catalog.getTable('lake', 't')).toBeUndefined();
      await catalog.createTable('lake', tableInput('t'));
      expect(await catalog.getPartitions('lake', 't')).toEqual([]);
    });

    it('creates partitions, reports values that already exist without overwriting them, and deletes them', async () => {
      await catalog.createTable('lake', tableInput('t'));
      const part = (dt: string, loc = dt) => ({ Values: [dt], StorageDescriptor: { Columns: [], Location: `s3://tributary-raw/t/dt=${loc}/` } });
      expect(await catalog.batchCreatePartition('lake', 't', [part('a'), part('b')])).toEqual({ alreadyExists: [] });
      expect(await catalog.batchCreatePartition('lake', 't', [part('b', 'changed'), part('c')])).toEqual({ alreadyExists: [['b']] });
      const parts = await catalog.getPartitions('lake', 't');
      expect(parts.map((p) => p.Values[0]).sort()).toEqual(['a', 'b', 'c']);
      expect(parts.find((p) => p.Values[0] === 'b')?.StorageDescriptor.Location).toBe('s3://tributary-raw/t/dt=b/');
      expect(parts[0]).toMatchObject({ DatabaseName: 'lake', TableName: 't' });
      await catalog.batchDeletePartition('lake', 't', [['a'], ['zz']]);
      expect((await catalog.getPartitions('lake', 't')).map((p) => p.Values[0]).sort()).toEqual(['b', 'c']);
    });
  });
}
