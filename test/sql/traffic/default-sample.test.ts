import type { DuckDBConnection } from '@duckdb/node-api';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventTimeMs } from '../../../handlers/forecast-model/event-time-ms';
import { bucketSeries } from '../../../handlers/forecast-model/series-set';
import { seriesSpecOf } from '../../../handlers/forecast-model/series-spec';
import { StepGrid } from '../../../handlers/forecast-model/step-grid';
import { trainForecast } from '../../../handlers/forecast-model/train';
import { loadModelArtifactIn, SHIPPED_MODEL_DIR } from '../../../infra/shipped/shipped-model';
import { TRAFFIC_FORECAST } from '../../../infra/shipped/train-shipped-model';
import { DEFAULT_TRAFFIC_SAMPLE, generateTrafficSample } from '../../../infra/shipped/traffic-sample';
import { engineSql, openTrafficDb, refineSql, rows } from './traffic-duckdb-harness';

let dir: string;
let conn: DuckDBConnection;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'traffic-default-'));
});
afterAll(async () => {
  conn?.closeSync();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the demo sample end to end (generator → refine.sql → train)', () => {
  it('refines to exactly its valid readings, and training on the refined rows gives the shipped model', async () => {
    const summary = await generateTrafficSample({ ...DEFAULT_TRAFFIC_SAMPLE, outDir: dir });
    conn = await openTrafficDb(dir, { engineShims: true });
    const end = new Date(Date.parse('2026-01-05T00:00:00Z') + DEFAULT_TRAFFIC_SAMPLE.hours * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    await conn.run(`CREATE TABLE refined AS ${engineSql(await refineSql('2026-01-05 00:00:00', end))}`);
    const [counts] = await rows(conn, 'SELECT count(*) AS n, count(DISTINCT (uniqueid, eventtime)) AS d FROM refined');
    expect(Number(counts?.n)).toBe(summary.validRows);
    expect(Number(counts?.d)).toBe(summary.validRows);
    const refined = await rows(conn, 'SELECT uniqueid, eventtime, currentspeed FROM refined');
    const spec = seriesSpecOf(TRAFFIC_FORECAST);
    const series = bucketSeries(refined.map((r) => ({ key: [String(r.uniqueid)], time: eventTimeMs(String(r.eventtime)), value: Number(r.currentspeed) })), new StepGrid(spec.every));
    const { artifact } = trainForecast(series, spec, { dataset: 'traffic' });
    expect(artifact).toEqual(await loadModelArtifactIn(SHIPPED_MODEL_DIR));
  });
});
