import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventEnvelope } from '../../../../contracts/envelope';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse } from '../../../../events/put-events';
import type { InferenceFunction } from '../../../../handlers/ports/batch-transform';
import { LocalBatchTransform } from '../../../../infra/emulators/batch-transform/local-batch-transform';
import { localPathOfUri } from '../../../../infra/local/lake-paths';
import { batchTransformContract } from '../../../handlers/ports/batch-transform.contract';

/** A bus transport that accepts every entry and keeps it as the envelope EventBridge would deliver. */
class CapturingBus implements EventBusTransport {
  readonly delivered: EventEnvelope[] = [];
  failNext = 0;

  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('bus unavailable');
    }
    const results = entries.map((entry) => {
      const id = randomUUID();
      this.delivered.push({
        version: '0', id, 'detail-type': entry.DetailType ?? '', source: entry.Source ?? '', account: '000000000000',
        time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: 'us-east-1',
        resources: [...(entry.Resources ?? [])], detail: JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>,
      });
      expect(entry.EventBusName).toBe('default');
      return { EventId: id };
    });
    return { FailedEntryCount: 0, Entries: results };
  }
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

batchTransformContract('LocalBatchTransform', async (models) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-bt-'));
  const bus = new CapturingBus();
  const runner = await LocalBatchTransform.open({ home, models, bus });
  return {
    port: runner,
    putObject: async (uri, body) => {
      const file = localPathOfUri(home, uri);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, body);
    },
    readObject: async (uri) => readFile(localPathOfUri(home, uri), 'utf8').catch(() => undefined),
    listObjects: async (prefixUri) => {
      const files = await listFiles(localPathOfUri(home, prefixUri));
      return files.map((f) => `${prefixUri.replace(/\/?$/, '/')}${f}`);
    },
    waitForJob: (name) => runner.waitForJob(name),
    events: () => bus.delivered,
    close: async () => {
      await runner.close();
      await rm(home, { recursive: true, force: true });
    },
  };
});

describe('LocalBatchTransform specifics', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-bt-'));
    const file = localPathOfUri(home, 's3://tributary-refined/in/a.txt');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'one\ntwo\n');
  });
  afterEach(async () => rm(home, { recursive: true, force: true }));

  const upper: InferenceFunction = async (body) => body.toUpperCase();
  const req = (name: string) => ({
    TransformJobName: name,
    ModelName: 'upper',
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: 's3://tributary-refined/in/' } }, ContentType: 'text/plain', SplitType: 'Line' as const },
    TransformOutput: { S3OutputPath: 's3://tributary-forecast/out/', AssembleWith: 'Line' as const },
  });

  it('keeps job names unique across a restart, and describes jobs of the previous run', async () => {
    const first = await LocalBatchTransform.open({ home, models: { upper }, bus: new CapturingBus() });
    await first.createTransformJob(req('job-1'));
    await first.waitForJob('job-1');
    await first.close();
    const second = await LocalBatchTransform.open({ home, models: { upper }, bus: new CapturingBus() });
    expect((await second.describeTransformJob('job-1')).TransformJobStatus).toBe('Completed');
    await expect(second.createTransformJob(req('job-1'))).rejects.toMatchObject({ code: 'ResourceInUse' });
    await second.close();
  });

  it('runs again, on reopening, a job that a crash left InProgress, and announces its end', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stuck: InferenceFunction = async (body) => {
      await gate;
      return body;
    };
    const crashed = await LocalBatchTransform.open({ home, models: { upper: stuck }, bus: new CapturingBus() });
    await crashed.createTransformJob(req('job-2'));
    const journal = JSON.parse(await readFile(path.join(home, 'batch-transform', 'jobs', 'job-2.json'), 'utf8')) as { TransformJobStatus: string };
    expect(journal.TransformJobStatus).toBe('InProgress');
    // Without resume on open, the job waits for resumeInterrupted (a process sharing the home never calls it).
    const bus = new CapturingBus();
    const reopened = await LocalBatchTransform.open({ home, models: { upper }, bus, resume: false });
    expect(reopened.runningJobNames()).toEqual([]);
    expect((await reopened.describeTransformJob('job-2')).TransformJobStatus).toBe('InProgress');
    expect(reopened.resumeInterrupted()).toEqual(['job-2']);
    expect(reopened.resumeInterrupted()).toEqual([]);
    expect(reopened.runningJobNames()).toEqual(['job-2']);
    expect((await reopened.waitForJob('job-2')).TransformJobStatus).toBe('Completed');
    expect(reopened.runningJobNames()).toEqual([]);
    expect(await readFile(localPathOfUri(home, 's3://tributary-forecast/out/a.txt.out'), 'utf8')).toBe('ONE\nTWO\n');
    expect(bus.delivered.map((e) => e.detail.TransformJobStatus)).toEqual(['Completed']);
    release();
    await crashed.close();
  });

  it('writes outputs atomically, leaving no temporary files, and retries a failed event put', async () => {
    const bus = new CapturingBus();
    bus.failNext = 2;
    const runner = await LocalBatchTransform.open({ home, models: { upper }, bus });
    await runner.createTransformJob(req('job-3'));
    await runner.waitForJob('job-3');
    expect(await listFiles(path.join(home, 'lake', 'forecast'))).toEqual(['out/a.txt.out']);
    expect(bus.delivered.map((e) => e.detail.TransformJobStatus)).toEqual(['InProgress', 'Completed']);
    await runner.close();
  });

  it('reports an event that cannot be put, and still completes the job', async () => {
    const bus = new CapturingBus();
    bus.failNext = 1000;
    const errors: string[] = [];
    const runner = await LocalBatchTransform.open({ home, models: { upper }, bus, onError: (_e, what) => errors.push(what) });
    await runner.createTransformJob(req('job-4'));
    expect((await runner.waitForJob('job-4')).TransformJobStatus).toBe('Completed');
    expect(errors).toEqual([
      expect.stringMatching(/publish SageMaker Transform Job State Change \(InProgress\)/),
      expect.stringMatching(/\(Completed\) for arn:aws:sagemaker:us-east-1:000000000000:transform-job\/job-4/),
    ]);
    await runner.close();
  }, 20000);
});
