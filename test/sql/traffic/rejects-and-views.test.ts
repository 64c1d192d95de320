import type { DuckDBConnection } from '@duckdb/node-api';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import { READING_FAULTS } from '../../../infra/shipped/reading-fault';
import { generateTrafficSample, type TrafficSampleSummary } from '../../../infra/shipped/traffic-sample';
import { boundSql, EVERY_OBJECT, openTrafficDb, refineSql, rows, SQL_DIR } from './traffic-duckdb-harness';

let dir: string;
let conn: DuckDBConnection;
let summary: TrafficSampleSummary;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'traffic-rejects-'));
  summary = await generateTrafficSample({ sensors: 6, hours: 5, seed: 3, start: '2026-01-05T05:00:00Z', outDir: dir });
  conn = await openTrafficDb(dir);
  await conn.run(`CREATE TABLE tributary_refined.traffic AS ${await refineSql('2026-01-05 05:00:00', '2026-01-05 10:00:00')}`);
});
afterAll(async () => {
  conn?.closeSync();
  await fs.rm(dir, { recursive: true, force: true });
});

const countBy = (list: readonly Record<string, unknown>[], field: string): Record<string, number> =>
  list.reduce<Record<string, number>>((acc, r) => ({ ...acc, [String(r[field])]: (acc[String(r[field])] ?? 0) + 1 }), {});

describe('rejects.sql', () => {
  it('keeps every invalid line once, with the reason it was broken for, reading no partition column', async () => {
    const rejects = await rows(conn, await boundSql('rejects.sql', { objects: EVERY_OBJECT }));
    expect(rejects).toHaveLength(summary.invalidRows);
    expect(countBy(rejects, 'reason')).toEqual(summary.invalidByReason);
    expect(Object.keys(rejects[0] ?? {})).not.toEqual(expect.arrayContaining(['year']));
  });

  it('keeps an invalid line as often as it came: each row read is accounted for', async () => {
    const [first] = await rows(conn, await boundSql('rejects.sql', { objects: EVERY_OBJECT }));
    const object = String(first?.source_object);
    const twice = await rows(conn, await boundSql('rejects.sql', { objects: { sql: `'${object}', '${object}'` } }));
    const once = await rows(conn, await boundSql('rejects.sql', { objects: { sql: `'${object}'` } }));
    expect(twice).toHaveLength(once.length);
    await conn.run(`CREATE TABLE repeated AS SELECT * FROM tributary_raw.traffic WHERE "$path" = '${object}' UNION ALL SELECT * FROM tributary_raw.traffic WHERE "$path" = '${object}'`);
    const sql = (await boundSql('rejects.sql', { objects: { sql: `'${object}'` } })).replace('FROM tributary_raw.traffic r', 'FROM repeated r');
    expect(await rows(conn, sql)).toHaveLength(2 * once.length);
  });

  it('covers only the objects asked for', async () => {
    const all = await rows(conn, await boundSql('rejects.sql', { objects: EVERY_OBJECT }));
    const [first, second] = [...new Set(all.map((r) => String(r.source_object)))].sort();
    if (first === undefined || second === undefined) throw new Error('the sample should have rejects in two objects at least');
    const some = await rows(conn, await boundSql('rejects.sql', { objects: { sql: `'${first}', '${second}'` } }));
    expect(new Set(some.map((r) => r.source_object))).toEqual(new Set([first, second]));
    expect(some).toHaveLength(all.filter((r) => r.source_object === first || r.source_object === second).length);
  });
});

describe('manifest.json', () => {
  it('is a valid dataset manifest whose files exist', async () => {
    const manifest = parseDatasetManifest(JSON.parse(await fs.readFile(path.join(SQL_DIR, 'manifest.json'), 'utf8')));
    await expect(fs.access(path.join(SQL_DIR, manifest.refine.sql))).resolves.toBeUndefined();
    expect((await fs.readdir(path.join(SQL_DIR, manifest.views?.dir ?? 'views'))).length).toBeGreaterThanOrEqual(2);
    expect(manifest.quality.map((q) => q.name)).toEqual(READING_FAULTS);
  });

  it('has quality rules that reject exactly what rejects.sql rejects, for the same first reason', async () => {
    const manifest = parseDatasetManifest(JSON.parse(await fs.readFile(path.join(SQL_DIR, 'manifest.json'), 'utf8')));
    const reason = `CASE ${manifest.quality.map((q) => `WHEN NOT coalesce((${q.predicate}), false) THEN '${q.name}'`).join(' ')} END`;
    const byRules = await rows(conn, `SELECT reason, count(*) AS n FROM (SELECT ${reason} AS reason FROM tributary_raw.traffic) WHERE reason IS NOT NULL GROUP BY reason`);
    expect(Object.fromEntries(byRules.map((r) => [r.reason, Number(r.n)]))).toEqual(summary.invalidByReason);
  });
});

describe('views', () => {
  beforeAll(async () => {
    for (const view of await fs.readdir(path.join(SQL_DIR, 'views'))) await conn.run(await boundSql(path.join('views', view)));
  });

  it('hourly_speed_profile has one row per sensor and hour of day, covering every refined row', async () => {
    const profile = await rows(conn, 'SELECT * FROM tributary_refined.traffic_hourly_speed_profile');
    expect(profile).toHaveLength(6 * 5);
    expect(profile.reduce((n, r) => n + Number(r.readings), 0)).toBe(summary.validRows);
    const rush = profile.filter((r) => Number(r.hourofday) === 8).map((r) => Number(r.avgspeed));
    const night = profile.filter((r) => Number(r.hourofday) === 5).map((r) => Number(r.avgspeed));
    expect(rush.reduce((a, b) => a + b) / rush.length).toBeLessThan(night.reduce((a, b) => a + b) / night.length);
  });

  it('current_jams lists each jammed sensor once, at its latest reading', async () => {
    await conn.run(`CREATE TABLE cut AS SELECT * FROM tributary_refined.traffic`);
    await conn.run(`DELETE FROM tributary_refined.traffic WHERE eventtime > TIMESTAMP '2026-01-05 08:10:00'`);
    const jams = await rows(conn, 'SELECT * FROM tributary_refined.traffic_current_jams ORDER BY uniqueid');
    const latest = await rows(conn, `SELECT uniqueid, max(eventtime) AS t FROM tributary_refined.traffic GROUP BY uniqueid`);
    const expected = await rows(conn, `SELECT r.uniqueid FROM tributary_refined.traffic r JOIN (${'SELECT uniqueid, max(eventtime) AS t FROM tributary_refined.traffic GROUP BY uniqueid'}) l
      ON r.uniqueid = l.uniqueid AND r.eventtime = l.t WHERE r.trafficjamindicator = 1 ORDER BY 1`);
    expect(latest).toHaveLength(6);
    expect(jams.map((j) => j.uniqueid)).toEqual(expected.map((e) => e.uniqueid));
    expect(jams.length).toBeGreaterThan(0);
  });
});
