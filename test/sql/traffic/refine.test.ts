import type { DuckDBConnection } from '@duckdb/node-api';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTrafficSample, type TrafficSampleSummary } from '../../../infra/shipped/traffic-sample';
import { simulateTraffic } from '../../../infra/shipped/traffic-simulation';
import { boundSql, EVERY_OBJECT, openTrafficDb, refineSql, rows, type Row } from './traffic-duckdb-harness';

const OPTIONS = { sensors: 5, hours: 4, seed: 11, start: '2026-01-05T06:00:00Z' } as const;
const START = '2026-01-05 06:00:00';
const END = '2026-01-05 10:00:00';
const hourText = (h: number): string => `2026-01-05 ${String(6 + h).padStart(2, '0')}:00:00`;
let dir: string;
let conn: DuckDBConnection;
let summary: TrafficSampleSummary;
let refined: Row[];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'traffic-refine-'));
  summary = await generateTrafficSample({ ...OPTIONS, outDir: dir });
  conn = await openTrafficDb(dir);
  refined = await rows(conn, `${await refineSql(START, END)} ORDER BY uniqueid, eventtime`);
});
afterAll(async () => {
  conn?.closeSync();
  await fs.rm(dir, { recursive: true, force: true });
});

const key = (r: Row): string => `${String(r.uniqueid)}|${String(r.eventtime)}`;

describe('refine.sql on DuckDB', () => {
  it('keeps exactly the distinct valid readings of the sample, duplicates collapsed', () => {
    expect(summary.duplicateRows).toBeGreaterThan(0);
    expect(summary.invalidRows).toBeGreaterThan(0);
    expect(refined).toHaveLength(summary.validRows);
    expect(new Set(refined.map(key)).size).toBe(refined.length);
  });

  it('carries the values of the valid readings and partitions them by zero-padded event time', () => {
    const truth = new Map<string, number>();
    for (const line of simulateTraffic(OPTIONS)) {
      if (line.fault === undefined) truth.set(`${line.sensor}|${new Date(line.eventTimeMs).toISOString().replace('T', ' ').slice(0, 19)}`, Number(line.record.currentSpeed));
    }
    for (const row of refined) {
      expect(Number(row.currentspeed)).toBe(truth.get(key(row)));
      const t = String(row.eventtime);
      expect([row.year, row.month, row.day, row.hour]).toEqual([t.slice(0, 4), t.slice(5, 7), t.slice(8, 10), t.slice(11, 13)]);
    }
  });

  it('computes the seed-004 indicators and averages over the framed window (lookback 30 min)', () => {
    const bySensor = new Map<string, Row[]>();
    for (const row of refined) bySensor.set(String(row.uniqueid), [...(bySensor.get(String(row.uniqueid)) ?? []), row]);
    const jam = (avg: number): number => (avg >= 0 && avg <= 40 ? 1 : avg >= 41 && avg <= 250 ? 0 : -1);
    let checked = 0;
    for (const series of bySensor.values()) {
      series.forEach((row, i) => {
        const hourStart = Date.parse(`${String(row.eventtime).slice(0, 13)}:00:00Z`);
        const frame = series.slice(0, i + 1).filter((r) => Date.parse(`${String(r.eventtime).replace(' ', 'T')}Z`) >= hourStart - 30 * 60_000);
        const avg = (n: number): number => {
          const last = frame.slice(-n).map((r) => Number(r.currentspeed));
          return last.reduce((a, b) => a + b, 0) / last.length;
        };
        expect(row.avgspeed3minutes).toBeCloseTo(avg(3), 9);
        expect(row.avgspeed20minutes).toBeCloseTo(avg(20), 9);
        expect(row.trafficjamindicator).toBe(jam(avg(3)));
        expect(row.trafficjamindicatorlong).toBe(jam(avg(20)));
        const diff = Number(row.currentspeed) - Number(row.previousspeed);
        expect(row.speeddiffindicator).toBe(diff >= 20 ? 1 : diff <= -20 ? -1 : 0);
        checked += 1;
      });
    }
    expect(checked).toBe(summary.validRows);
    expect(refined.some((r) => r.trafficjamindicator === 1)).toBe(true);
  });

  it('gives the same rows whether the hours are refined together or one at a time', async () => {
    const pieces: Row[] = [];
    for (let h = 0; h < OPTIONS.hours; h += 1) {
      pieces.push(...(await rows(conn, await refineSql(hourText(h), hourText(h + 1)))));
    }
    pieces.sort((a, b) => key(a).localeCompare(key(b)));
    expect(pieces).toEqual([...refined].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('names the raw object of each reading and of the copies dropped as its duplicates, so every row read is accounted for', async () => {
    const dropped = refined.flatMap((r) => (Array.isArray(r.duplicate_objects) ? r.duplicate_objects.map(String) : []));
    expect(dropped).toHaveLength(summary.duplicateRows);
    const rejects = await rows(conn, await boundSql('rejects.sql', { objects: EVERY_OBJECT }));
    const read = await rows(conn, 'SELECT "$path" AS object, count(*) AS n FROM tributary_raw.traffic GROUP BY 1');
    const tally = (list: readonly string[]): Map<string, number> => list.reduce((m, o) => m.set(o, (m.get(o) ?? 0) + 1), new Map<string, number>());
    const [kept, copies, rejected] = [tally(refined.map((r) => String(r.source_object))), tally(dropped), tally(rejects.map((r) => String(r.source_object)))];
    expect(read.length).toBe(summary.files);
    for (const { object, n } of read) {
      const o = String(object);
      expect((kept.get(o) ?? 0) + (copies.get(o) ?? 0) + (rejected.get(o) ?? 0)).toBe(Number(n));
    }
  });

  it('keeps the same copy of a reading delivered twice whatever the order of the objects: the one from the first object by name', async () => {
    const twice = refined.filter((r) => Array.isArray(r.duplicate_objects) && r.duplicate_objects.length > 0);
    expect(twice.length).toBeGreaterThan(0);
    for (const row of twice) {
      const copies = (row.duplicate_objects as unknown[]).map(String);
      expect(copies.every((c) => String(row.source_object) <= c)).toBe(true);
    }
  });

  it('writes only the hours of the window asked for', async () => {
    const one = await rows(conn, await refineSql(hourText(2), hourText(3)));
    expect(one.length).toBeGreaterThan(0);
    expect(new Set(one.map((r) => r.hour))).toEqual(new Set(['08']));
    expect(one).toHaveLength(refined.filter((r) => r.hour === '08').length);
  });
});

describe('refine.sql framing across an outage', () => {
  it('averages an hour\'s first readings over its own lookback only, however the hours are batched', async () => {
    const gapDir = await fs.mkdtemp(path.join(os.tmpdir(), 'traffic-gap-'));
    try {
      const at = (h: number, m: number): string => `2026-01-05T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`;
      const reading = (h: number, m: number, speed: number): string =>
        JSON.stringify({ uniqueId: 'G1', recordTimestamp: at(h, m), currentSpeed: speed, previousSpeed: speed, bezettingsgraad: 10,
          trafficIntensityClass2: 1, trafficIntensityClass3: 1, trafficIntensityClass4: 1, trafficIntensityClass5: 1 });
      const lines = [
        ...Array.from({ length: 10 }, (_, m) => reading(9, m, 100)),
        ...Array.from({ length: 6 }, (_, m) => reading(10, m, 30)),
      ];
      await fs.mkdir(path.join(gapDir, 'traffic', '2026', '01', '05', '10'), { recursive: true });
      await fs.writeFile(path.join(gapDir, 'traffic', '2026', '01', '05', '10', 'gap.jsonl'), `${lines.join('\n')}\n`);
      const gapConn = await openTrafficDb(gapDir);
      try {
        const together = await rows(gapConn, `${await refineSql('2026-01-05 09:00:00', '2026-01-05 11:00:00')} ORDER BY eventtime`);
        const alone = await rows(gapConn, `${await refineSql('2026-01-05 10:00:00', '2026-01-05 11:00:00')} ORDER BY eventtime`);
        expect(together.filter((r) => r.hour === '10')).toEqual(alone);
        expect(alone.map((r) => r.avgspeed20minutes)).toEqual([30, 30, 30, 30, 30, 30]);
        expect(alone.map((r) => r.trafficjamindicatorlong)).toEqual([1, 1, 1, 1, 1, 1]);
      } finally {
        gapConn.closeSync();
      }
    } finally {
      await fs.rm(gapDir, { recursive: true, force: true });
    }
  });
});
