import type { DuckDBConnection } from '@duckdb/node-api';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTrafficSample, type TrafficSampleSummary } from '../../../infra/shipped/traffic-sample';
import { boundSql, engineSql, EVERY_OBJECT, openTrafficDb, refineSql, rows } from './traffic-duckdb-harness';

let dir: string;
let plain: DuckDBConnection;
let shimmed: DuckDBConnection;
let summary: TrafficSampleSummary;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'traffic-engine-'));
  summary = await generateTrafficSample({ sensors: 4, hours: 3, seed: 21, start: '2026-01-05T07:00:00Z', outDir: dir });
  plain = await openTrafficDb(dir);
  shimmed = await openTrafficDb(dir, { engineShims: true });
});
afterAll(async () => {
  plain?.closeSync();
  shimmed?.closeSync();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('sql/traffic through the local Athena engine translator (infra/emulators/query)', () => {
  it('refine.sql gives the same rows as on the minimal harness', async () => {
    const sql = await refineSql('2026-01-05 07:00:00', '2026-01-05 10:00:00');
    const order = ' ORDER BY uniqueid, eventtime';
    const viaEngine = await rows(shimmed, engineSql(sql) + order);
    expect(viaEngine).toHaveLength(summary.validRows);
    expect(viaEngine).toEqual(await rows(plain, sql + order));
  });

  it('rejects.sql gives the same rows as on the minimal harness', async () => {
    const sql = await boundSql('rejects.sql', { objects: EVERY_OBJECT });
    const order = ' ORDER BY ALL';
    const viaEngine = await rows(shimmed, engineSql(sql) + order);
    expect(viaEngine).toHaveLength(summary.invalidRows);
    expect(viaEngine).toEqual(await rows(plain, sql + order));
  });
});
