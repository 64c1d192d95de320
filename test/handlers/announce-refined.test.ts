import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { JobRecord } from '../../handlers/ports/job-store';
import type { RunSummary, StageRecord } from '../../handlers/ports/run-store';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { partitionOfHour, partitionPath } from '../../handlers/stage-kit/hours';
import { hoursFedBy } from '../../handlers/stage-kit/refine-plan';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, dropFiles, openRuntime, readSample, settle, tempDir } from '../integration/pipeline-harness';

jest.setTimeout(180_000);

/** Runs a small sample through the pipeline on a fresh home; returns each run's lineage and the refine jobs recorded. */
async function lineageAfterPipeline(root: string, name: string, sample: { dir: string; keys: readonly string[] }, recordAsEarlierVersion: boolean): Promise<{ lineage: Map<string, string[]>; expected: Map<string, string[]>; jobs: JobRecord[]; refine: Map<string, { stage?: StageRecord; timeline: string[] }> }> {
  const home = path.join(root, name);
  const rt = await openRuntime(home);
  const jobs: JobRecord[] = [];
  try {
    const putJob = rt.deps.jobs.putJob.bind(rt.deps.jobs);
    rt.deps.jobs.putJob = async (kind, id, record) => {
      // A refine job as versions before planned lineage recorded it: without `fedHours` (nor `startedAt`).
      const { fedHours: _planned, startedAt: _started, ...earlier } = record;
      const stored = kind === 'refine' && recordAsEarlierVersion ? earlier : record;
      if (kind === 'refine') jobs.push(stored);
      await putJob(kind, id, stored);
    };
    await dropFiles(home, await readSample(sample.dir, sample.keys));
    await settle(rt);
    const lineage = new Map<string, string[]>();
    const expected = new Map<string, string[]>();
    const refine = new Map<string, { stage?: StageRecord; timeline: string[] }>();
    const manifest = (await rt.deps.datasets.getDataset('traffic'))?.manifest;
    if (!manifest) throw new Error('no traffic dataset');
    const keys = manifest.partitioning.keys;
    for (const run of await allRuns(rt)) {
      const detail = await rt.deps.runs.getRun(run.runId);
      lineage.set(run.runId, (detail?.lineage ?? []).map((l) => l.partition).sort());
      const stage = detail?.stages.find((st) => st.stage === 'refine');
      refine.set(run.runId, { ...(stage ? { stage } : {}), timeline: (detail?.timeline ?? []).filter((t) => t.stage === 'refine').map((t) => `${t.status}@${t.at}`) });
      // The partitions its readings feed: every hour from its first event to its last plus the lookback.
      expected.set(run.runId, hoursFedBy(manifest, run).map((h) => partitionPath(partitionOfHour(h, keys), keys)).sort());
    }
    return { lineage, expected, jobs, refine };
  } finally {
    await rt.close();
  }
}

describe('announce-refined: run lineage', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('announce-refined');
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('links each run to the partitions it feeds from the spans planned in the job, and from run state for jobs without them', async () => {
    const dir = path.join(root, 'sample');
    const sample = await generateTrafficSample({ outDir: dir, sensors: 3, hours: 4, seed: 11 });
    const planned = await lineageAfterPipeline(root, 'planned', { dir, keys: sample.keys }, false);
    const earlier = await lineageAfterPipeline(root, 'earlier', { dir, keys: sample.keys }, true);

    expect(planned.jobs.length).toBeGreaterThan(0);
    for (const job of planned.jobs) expect((job.fedHours as unknown[] | undefined)?.length).toBe((job.runIds as string[]).length);
    for (const job of earlier.jobs) expect(job.fedHours).toBeUndefined();

    expect(planned.lineage.size).toBe(sample.files);
    for (const [runId, partitions] of planned.lineage) {
      expect(partitions.length).toBeGreaterThan(0);
      expect(partitions).toEqual(planned.expected.get(runId));
      expect(earlier.lineage.get(runId)).toEqual(partitions);
    }
    // Not every run feeds every partition: lineage is per run, not per refine.
    expect([...planned.lineage.values()].some((p) => p.length < new Set([...planned.lineage.values()].flat()).size)).toBe(true);

    // The refine's start is in each run's timeline; the run's refine state is written once, at the
    // outcome, with that start (a job of an earlier version has no start to give).
    for (const job of planned.jobs) {
      for (const runId of job.runIds as string[]) {
        const { stage, timeline } = planned.refine.get(runId) ?? { timeline: [] };
        expect(stage).toMatchObject({ status: 'succeeded', attempts: 1, startedAt: job.startedAt });
        expect(timeline).toEqual([`running@${String(job.startedAt)}`, `succeeded@${String(stage?.endedAt)}`]);
      }
    }
    for (const { stage, timeline } of earlier.refine.values()) {
      expect(stage).toMatchObject({ status: 'succeeded', attempts: 0 });
      expect(stage?.startedAt).toBeUndefined();
      expect(timeline.map((t) => t.split('@')[0])).toEqual(['running', 'succeeded']);
    }
  });
});

describe('announce-refined: a starter that crashed after starting its query', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('announce-refined-orphan');
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('finds the job from the query it started, so the refine settles instead of being retried until dead-lettered', async () => {
    const dir = path.join(root, 'sample');
    const sample = await generateTrafficSample({ outDir: dir, sensors: 2, hours: 2, seed: 5 });
    const home = path.join(root, 'home');
    const rt = await openRuntime(home);
    try {
      const putJob = rt.deps.jobs.putJob.bind(rt.deps.jobs);
      // The record under the query id never happens, as when the process dies right after the start.
      rt.deps.jobs.putJob = async (kind, id, record) => {
        if (kind === 'refine' && !id.startsWith('refine-')) return;
        await putJob(kind, id, record);
      };
      await dropFiles(home, await readSample(dir, sample.keys));
      await settle(rt);
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
      const runs = await allRuns(rt);
      expect(runs.length).toBe(sample.keys.length);
      for (const run of runs) {
        const detail = await rt.deps.runs.getRun(run.runId);
        expect(detail?.stages.find((s) => s.stage === 'refine')?.status).toBe('succeeded');
      }
    } finally {
      await rt.close();
    }
  });
});

describe('announce-refined: a refine query that fails for a retryable reason', () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir('announce-refined-retry');
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  /** Runs a small sample with a file where the staging folder of each attempt matching `blocked` goes. */
  async function withBlockedStaging(name: string, blocked: RegExp, check: (rt: EmbeddedRuntime, runs: RunSummary[], attempts: number[]) => Promise<void>): Promise<void> {
    const dir = path.join(root, `${name}-sample`);
    const sample = await generateTrafficSample({ outDir: dir, sensors: 2, hours: 2, seed: 7 });
    const home = path.join(root, name);
    const rt = await openRuntime(home);
    const attempts: number[] = [];
    try {
      const putJob = rt.deps.jobs.putJob.bind(rt.deps.jobs);
      rt.deps.jobs.putJob = async (kind, id, record) => {
        // Before a first attempt starts, a file where its staging folder goes: the engine's write fails (I/O, SYSTEM).
        if (kind === 'refine' && blocked.test(id) && typeof record.stagingPrefix === 'string') {
          const blocked = path.join(home, 'lake', 'refined', record.stagingPrefix.replace(/\/$/, ''));
          await fs.mkdir(path.dirname(blocked), { recursive: true });
          await fs.writeFile(blocked, 'not a folder');
        }
        if (kind === 'refine' && id.startsWith('refine-')) attempts.push(typeof record.attempt === 'number' ? record.attempt : 1);
        await putJob(kind, id, record);
      };
      await dropFiles(home, await readSample(dir, sample.keys));
      await settle(rt);
      const runs = await allRuns(rt);
      expect(runs.length).toBe(sample.keys.length);
      await check(rt, runs, attempts);
    } finally {
      await rt.close();
    }
  }

  it('runs the window again on a fresh staging prefix, and the runs succeed', async () => {
    await withBlockedStaging('once', /^refine-[0-9a-f]+$/, async (rt, runs, attempts) => {
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
      expect(attempts).toContain(1);
      expect(attempts).toContain(2);
      for (const run of runs) expect((await rt.deps.runs.getRun(run.runId))?.stages.find((s) => s.stage === 'refine')?.status).toBe('succeeded');
    });
  });

  it('fails the runs loudly, naming the last attempt, when every attempt fails', async () => {
    await withBlockedStaging('always', /^refine-[0-9a-f]+(-a\d+)?$/, async (rt, runs, attempts) => {
      expect(Math.max(...attempts)).toBe(3);
      for (const run of runs) {
        const refine = (await rt.deps.runs.getRun(run.runId))?.stages.find((s) => s.stage === 'refine');
        expect(refine?.status).toBe('failed');
        expect(refine?.error?.message).toMatch(/attempt 3 of 3/);
      }
    });
  });
});
