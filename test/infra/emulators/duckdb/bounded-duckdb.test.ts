import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { duckDbSizeBytes, duckDbSizeFromEnv, openBoundedDuckDb } from '../../../../infra/emulators/duckdb/bounded-duckdb';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? Promise.resolve([]) : sourceFiles(full);
    return Promise.resolve(e.name.endsWith('.ts') ? [full] : []);
  }));
  return nested.flat();
}

describe('openBoundedDuckDb', () => {
  it('opens DuckDB with its memory limit, spill folder, threads and insertion order fixed', async () => {
    const temp = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'bounded-duckdb-')), 'spill');
    const instance = await openBoundedDuckDb({ memoryLimit: '96MB', tempDirectory: temp, threads: 1, preserveInsertionOrder: false });
    const conn = await instance.connect();
    try {
      const [row] = (await conn.runAndReadAll(`SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t, current_setting('threads') AS th, current_setting('preserve_insertion_order') AS o`)).getRowObjectsJson();
      // DuckDB prints the limit in its own units (96MB is 91.5 MiB).
      expect(row).toEqual({ m: '91.5 MiB', t: temp, th: '1', o: false });
      await expect(fs.stat(temp)).resolves.toBeDefined();
    } finally {
      conn.closeSync();
      instance.closeSync();
      await fs.rm(path.dirname(temp), { recursive: true, force: true });
    }
  });

  it('refuses a limit that is not a size, and names the variable of a malformed setting', async () => {
    await expect(openBoundedDuckDb({ memoryLimit: 'lots' })).rejects.toThrow('a DuckDB memory limit must be a size such as 256MB or 1GB, got "lots"');
    expect(duckDbSizeFromEnv({}, 'TRIBUTARY_CRAWLER_MEMORY', '256MB')).toBe('256MB');
    expect(duckDbSizeFromEnv({ TRIBUTARY_CRAWLER_MEMORY: ' 1GB ' }, 'TRIBUTARY_CRAWLER_MEMORY', '256MB')).toBe('1GB');
    expect(() => duckDbSizeFromEnv({ TRIBUTARY_CRAWLER_MEMORY: '1 gig' }, 'TRIBUTARY_CRAWLER_MEMORY', '256MB')).toThrow('TRIBUTARY_CRAWLER_MEMORY must be a size such as 512MB or 2GB, got "1 gig"');
  });

  it('counts a size\'s bytes as DuckDB does (KB = 1000, KiB = 1024)', () => {
    expect(duckDbSizeBytes('1.5GB')).toBe(1.5e9);
    expect(duckDbSizeBytes('600 mb')).toBe(600e6);
    expect(duckDbSizeBytes('2KiB')).toBe(2048);
    expect(() => duckDbSizeBytes('lots')).toThrow('not a DuckDB size such as 512MB or 2GB: "lots"');
  });

  it('is the only way the shipped code opens DuckDB, so every instance has a memory limit', async () => {
    const files = [...(await sourceFiles(path.join(ROOT, 'infra'))), ...(await sourceFiles(path.join(ROOT, 'handlers')))];
    const opening: string[] = [];
    for (const file of files) {
      if (/DuckDBInstance\s*\.\s*(create|fromCache)\s*\(/.test(await fs.readFile(file, 'utf8'))) opening.push(path.relative(ROOT, file).split(path.sep).join('/'));
    }
    expect(opening).toEqual(['infra/emulators/duckdb/bounded-duckdb.ts']);
  });
});
