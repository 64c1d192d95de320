import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { renderGlueType } from '../../../../infra/emulators/crawler/glue-type';
import { inferObjectSchema, type InferenceOptions } from '../../../../infra/emulators/crawler/infer-object-schema';

describe('inferObjectSchema (Glue built-in classifiers on DuckDB)', () => {
  let dir: string;
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-infer-'));
    db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
  });
  afterAll(async () => {
    conn.closeSync();
    db.closeSync();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function infer(name: string, content: string | Buffer, classifiers: InferenceOptions = {}) {
    const file = path.join(dir, name);
    await fs.writeFile(file, content);
    const result = await inferObjectSchema(conn, file, (await fs.stat(file)).size, classifiers);
    return result.ok ? { ...result.schema, columns: result.schema.columns.map((c) => `${c.name}:${renderGlueType(c.type)}`) } : { unknown: result.reason };
  }

  it('fails (instead of calling the file unreadable) when DuckDB itself runs out of memory', async () => {
    const tight = await DuckDBInstance.create(':memory:', { memory_limit: '1MB', threads: '1' });
    const tightConn = await tight.connect();
    try {
      const file = path.join(dir, 'big.jsonl');
      const body = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: i, text: 'x'.repeat(200), n: i * 1.5 })).join('\n');
      await fs.writeFile(file, body);
      // An UNKNOWN verdict would be cached by size and mtime and keep the file's folder out of the table.
      await expect(inferObjectSchema(tightConn, file, body.length)).rejects.toThrow(/Out of Memory Error/);
      // The same file is a good JSON-lines file to an engine with room.
      expect(await inferObjectSchema(conn, file, body.length)).toMatchObject({ ok: true, schema: { classification: 'json' } });
    } finally {
      tightConn.closeSync();
      tight.closeSync();
    }
  });

  it('infers JSON lines from the sample: a value past it that fits no sampled type is a row to reject, not an unreadable file', async () => {
    const line = (i: number, at: string): string => JSON.stringify({ id: `S${i % 7}`, at, speed: i % 90 });
    const lines = Array.from({ length: 3000 }, (_, i) => line(i, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()));
    lines[1500] = line(1500, 'not-a-time');
    expect(await infer('late-bad-value.jsonl', lines.join('\n'))).toMatchObject({ classification: 'json', columns: ['id:string', 'at:string', 'speed:bigint'] });
    // Malformed JSON inside the sample is still no JSON file.
    expect(await infer('broken.jsonl', '{"a":1}\n{"a":\n{"a":2}\n')).toEqual({ unknown: expect.stringMatching(/Malformed JSON/) });
  });

  it('reads gzip-compressed JSON lines and CSV and records compressionType gzip', async () => {
    const got = await infer('a.json.gz', zlib.gzipSync('{"id":1,"v":"x"}\n{"id":2,"v":"y"}\n'));
    expect(got).toMatchObject({ classification: 'json', compressionType: 'gzip', columns: ['id:bigint', 'v:string'], recordCount: 2 });
    const csv = await infer('b.csv.gz', zlib.gzipSync('id;v\n1;x\n2;y\n'));
    expect(csv).toMatchObject({ classification: 'csv', compressionType: 'gzip', columns: ['id:bigint', 'v:string'], csv: { delimiter: ';', header: true } });
  });

  it('detects quoted CSV (areColumnsQuoted) and the \\u0001 delimiter', async () => {
    expect(await infer('q.csv', '"id","note"\n"1","a, b"\n"2","c"\n')).toMatchObject({ columns: ['id:bigint', 'note:string'], csv: { delimiter: ',', quoted: true, header: true } });
    expect(await infer('u.csv', 'id\u0001name\n1\u0001a\n2\u0001b\n')).toMatchObject({ columns: ['id:bigint', 'name:string'], csv: { delimiter: '\u0001', header: true } });
    expect(await infer('t.tsv', 'id\tok\n1\ttrue\n2\tfalse\n')).toMatchObject({ columns: ['id:bigint', 'ok:boolean'], csv: { delimiter: '\t' } });
  });

  it('leaves files no classifier accepts UNKNOWN, with a reason', async () => {
    expect(await infer('one.txt', 'just text\nmore text\nand more\n')).toEqual({ unknown: expect.stringMatching(/at least 2/) });
    expect(await infer('one-row.csv', 'a,b\n')).toEqual({ unknown: expect.stringMatching(/1 row/) });
    expect(await infer('arr.json', '[{"a":1},{"a":2}]')).toEqual({ unknown: expect.stringMatching(/top-level JSON array/) });
    expect(await infer('bin.dat', Buffer.from([0, 1, 2, 3, 0, 255, 0]))).toEqual({ unknown: expect.stringMatching(/binary/) });
    expect(await infer('fake.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(32, 7)]))).toEqual({ unknown: expect.stringMatching(/unreadable Parquet/) });
  });

  it('reads a top-level JSON array (gzip too) as records with the custom JSON classifier $[*]', async () => {
    const body = '[{"date":"2001/01/01 06:55","delay":-19,"origin":"LAX"},\n{"date":"2001/01/01 08:47","delay":0,"origin":"SJC"}]';
    expect(await infer('flights.json', body, { jsonArrays: true })).toMatchObject({ classification: 'json', compressionType: 'none', columns: ['date:string', 'delay:bigint', 'origin:string'] });
    expect(await infer('flights.json.gz', zlib.gzipSync(body), { jsonArrays: true })).toMatchObject({ classification: 'json', compressionType: 'gzip', columns: ['date:string', 'delay:bigint', 'origin:string'] });
  });

  it('reads CSV with a custom CSV classifier\'s dialect instead of guessing it', async () => {
    const text = 'City,Country\nGhent,Belgium\nLille,France\n';
    expect(await infer('text.csv', text)).toMatchObject({ columns: ['col0:string', 'col1:string'], csv: { header: false } });
    expect(await infer('text.csv', text, { csv: { header: true, delimiter: ',', quote: '"' } })).toMatchObject({ classification: 'csv', columns: ['city:string', 'country:string'], recordCount: 2, csv: { header: true } });
    expect(await infer('none.csv.gz', zlib.gzipSync('"a;b";1\n"c";2\n'), { csv: { header: false, delimiter: ';', quote: '"' } })).toMatchObject({ compressionType: 'gzip', columns: ['col0:string', 'col1:bigint'], recordCount: 2, csv: { delimiter: ';', header: false, quoted: true } });
  });

  it('estimates recordCount from the first 1 MB of a large file', async () => {
    const line = JSON.stringify({ id: 123456, name: 'sensor-with-a-long-name' }) + '\n';
    const got = await infer('big.json', line.repeat(60000));
    expect(got).toMatchObject({ classification: 'json' });
    const count = 'recordCount' in got ? got.recordCount : 0;
    expect(Math.abs(count - 60000)).toBeLessThan(60);
  });
});
