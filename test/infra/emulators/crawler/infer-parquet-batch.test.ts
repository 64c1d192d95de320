import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { inferObjectSchema } from '../../../../infra/emulators/crawler/infer-object-schema';
import { inferParquetBatch } from '../../../../infra/emulators/crawler/infer-parquet-batch';

describe('inferParquetBatch (many Parquet footers in one read)', () => {
  let dir: string;
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-infer-batch-'));
    db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
  });
  afterAll(async () => {
    conn.closeSync();
    db.closeSync();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, select: string): Promise<{ file: string; size: number }> => {
    const file = path.join(dir, name);
    await conn.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
    return { file, size: (await fs.stat(file)).size };
  };

  it('gives every file the verdict one-by-one inference gives it: its own row count, its own schema', async () => {
    const files = [
      ...(await Promise.all([1, 2, 3, 4, 5, 6].map((n) => write(`day-${n}.parquet`, `SELECT range AS id, 'x' || range AS name, DATE '2012-01-01' + CAST(range AS INTEGER) AS d FROM range(${n})`)))),
      await write('wide.parquet', `SELECT range AS id, 'x' AS name, DATE '2012-01-01' AS d, 1.5::DOUBLE AS extra FROM range(4)`),
      await write('decimal.parquet', `SELECT 1.25::DECIMAL(9,2) AS id, 'y' AS name, DATE '2012-01-02' AS d FROM range(2)`),
      await write('timestamps.parquet', `SELECT range::INTEGER AS id, 'z' AS name, TIMESTAMP '2012-01-02 10:00:00' AS d FROM range(3)`),
    ];
    const batch = await inferParquetBatch(conn, files);
    expect(batch.size).toBe(files.length);
    for (const f of files) expect(batch.get(f.file)).toEqual(await inferObjectSchema(conn, f.file, f.size));
  });

  it('leaves the files to one-by-one inference when a footer cannot be read, or when they are few', async () => {
    const good = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => write(`ok-${n}.parquet`, `SELECT ${n} AS id`)));
    const fake = path.join(dir, 'fake.parquet');
    await fs.writeFile(fake, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(32, 7)]));
    expect((await inferParquetBatch(conn, [...good, { file: fake, size: 36 }])).size).toBe(0);
    expect((await inferParquetBatch(conn, good.slice(0, 3))).size).toBe(0);
    expect((await inferParquetBatch(conn, good)).size).toBe(8);
  });

  it('leaves to the caller the files deleted after their footers were read (a partition swap), instead of failing the batch', async () => {
    const files = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => write(`swapped-${n}.parquet`, `SELECT range AS id FROM range(${n})`)));
    // The footers are read by the first query; the swap deletes the files right after it.
    let queries = 0;
    const deletingConn = new Proxy(conn, {
      get: (target, key) => key !== 'runAndReadAll' ? Reflect.get(target, key) : async (...args: Parameters<DuckDBConnection['runAndReadAll']>) => {
        const out = await target.runAndReadAll(...args);
        if (++queries === 1) for (const f of files) await fs.rm(f.file);
        return out;
      },
    });
    expect(await inferParquetBatch(deletingConn, files)).toEqual(new Map());
  });
});
