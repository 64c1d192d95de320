import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTrafficSample } from '../../../infra/shipped/traffic-sample';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'traffic-sample-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function digest(dir: string, keys: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const key of keys) hash.update(key).update(await fs.readFile(path.join(dir, key)));
  return hash.digest('hex');
}

type Line = Record<string, unknown>;
async function readLines(dir: string, key: string): Promise<Line[]> {
  const text = await fs.readFile(path.join(dir, key), 'utf8');
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
}

const OPTIONS = { sensors: 6, hours: 26, seed: 5 } as const;

describe('generateTrafficSample', () => {
  it('writes the same bytes for the same seed and different bytes for another seed', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    const first = await generateTrafficSample({ ...OPTIONS, outDir: a });
    const again = await generateTrafficSample({ ...OPTIONS, outDir: b });
    const other = await generateTrafficSample({ ...OPTIONS, seed: 6, outDir: c });
    expect(again).toEqual(first);
    expect(await digest(b, again.keys)).toBe(await digest(a, first.keys));
    expect(await digest(c, other.keys)).not.toBe(await digest(a, first.keys));
  });

  it('lays files out by arrival hour as Firehose names them, and its summary adds up', async () => {
    const dir = await tempDir();
    const summary = await generateTrafficSample({ ...OPTIONS, outDir: dir });
    expect(summary.files).toBe(summary.keys.length);
    let lines = 0;
    for (const key of summary.keys) {
      const m = /^traffic\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/traffic-stream-1-(\d{4})-(\d{2})-(\d{2})-(\d{2})-\d{2}-\d{2}-[0-9a-f-]{36}\.jsonl$/.exec(key);
      expect(m).not.toBeNull();
      expect(m?.slice(1, 5)).toEqual(m?.slice(5, 9));
      const folderHour = Date.parse(`${m?.[1]}-${m?.[2]}-${m?.[3]}T${m?.[4]}:00:00Z`);
      for (const line of await readLines(dir, key)) {
        lines += 1;
        const event = Date.parse(String(line.recordTimestamp));
        if (Number.isFinite(event)) expect(event).toBeLessThan(folderHour + 3_600_000);
      }
    }
    expect(lines).toBe(summary.rows);
    expect(summary.validRows + summary.invalidRows + summary.duplicateRows).toBe(summary.rows);
    expect(summary.validRows).toBeLessThanOrEqual(OPTIONS.sensors * OPTIONS.hours * 60);
    expect(summary.invalidRows).toBeGreaterThan(0);
    expect(summary.lateRows).toBeGreaterThan(0);
    expect(summary.duplicateRows).toBeGreaterThan(0);
    expect(Object.keys(summary.invalidByReason).sort()).toEqual(
      ['bad_record_timestamp', 'missing_current_speed', 'missing_unique_id', 'negative_speed', 'occupancy_out_of_range', 'speed_sentinel'],
    );
    const perFolder = new Map<string, number>();
    for (const key of summary.keys) perFolder.set(key.slice(0, 21), (perFolder.get(key.slice(0, 21)) ?? 0) + 1);
    expect(Math.max(...perFolder.values())).toBe(3);
  });

  it('puts late readings in a later arrival-hour folder', async () => {
    const dir = await tempDir();
    const summary = await generateTrafficSample({ ...OPTIONS, outDir: dir });
    let late = 0;
    for (const key of summary.keys) {
      const folderHour = Date.parse(`${key.slice(8, 12)}-${key.slice(13, 15)}-${key.slice(16, 18)}T${key.slice(19, 21)}:00:00Z`);
      for (const line of await readLines(dir, key)) {
        if (Date.parse(String(line.recordTimestamp)) < folderHour - 3_600_000) late += 1;
      }
    }
    expect(late).toBeGreaterThan(0);
    expect(late).toBeLessThanOrEqual(summary.lateRows);
  });

  it('has morning rush-hour dips: slower at 08:00 than at 03:00', async () => {
    const dir = await tempDir();
    const summary = await generateTrafficSample({ ...OPTIONS, outDir: dir });
    const speeds = { rush: [] as number[], night: [] as number[] };
    for (const key of summary.keys) {
      for (const line of await readLines(dir, key)) {
        const hour = String(line.recordTimestamp).slice(11, 13);
        if (typeof line.currentSpeed === 'number' && line.currentSpeed >= 0 && line.currentSpeed <= 250) {
          if (hour === '08') speeds.rush.push(line.currentSpeed);
          if (hour === '03') speeds.night.push(line.currentSpeed);
        }
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(speeds.rush)).toBeLessThan(mean(speeds.night) - 10);
  });

  it('rejects sizes that are not whole positive numbers, naming the option', async () => {
    const dir = await tempDir();
    await expect(generateTrafficSample({ ...OPTIONS, sensors: 0, outDir: dir })).rejects.toThrow('--sensors');
    await expect(generateTrafficSample({ ...OPTIONS, hours: 1.5, outDir: dir })).rejects.toThrow('--hours');
    await expect(generateTrafficSample({ ...OPTIONS, start: '2026-01-05T00:30:00Z', outDir: dir })).rejects.toThrow('whole hour');
  });
});
