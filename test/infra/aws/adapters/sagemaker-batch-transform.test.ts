import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventEnvelope } from '../../../../contracts/envelope';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse } from '../../../../events/put-events';
import { SageMakerBatchTransform } from '../../../../infra/aws/adapters/sagemaker-batch-transform';
import { LocalBatchTransform } from '../../../../infra/emulators/batch-transform/local-batch-transform';
import { localPathOfUri } from '../../../../infra/local/lake-paths';
import { batchTransformContract } from '../../../handlers/ports/batch-transform.contract';
import { SageMakerEmulator } from './sagemaker-emulator';
import { allowViolations } from '../api-model/violation-log';

// The contract's invalid-request case sends a bad job name on purpose, to see the service refuse it.
allowViolations(/^SageMaker CreateTransformJob request breaks the AWS API model: TransformJobName "bad_name" does not match/);

/** The default bus as SageMaker's events reach it: every entry kept as its delivered envelope. */
class DefaultBus implements EventBusTransport {
  readonly delivered: EventEnvelope[] = [];
  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    const results = entries.map((entry) => {
      const id = randomUUID();
      this.delivered.push({
        version: '0', id, 'detail-type': entry.DetailType ?? '', source: entry.Source ?? '', account: '000000000000',
        time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: 'us-east-1',
        resources: [...(entry.Resources ?? [])], detail: JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>,
      });
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

batchTransformContract('SageMakerBatchTransform (aws-sdk-client-mock emulating SageMaker over the local runner)', async (models) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-sm-'));
  const bus = new DefaultBus();
  const runner = await LocalBatchTransform.open({ home, models, bus });
  const sagemaker = new SageMakerEmulator(runner);
  const port = new SageMakerBatchTransform(sagemaker.client);
  return {
    port,
    putObject: async (uri, body) => {
      const file = localPathOfUri(home, uri);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, body);
    },
    readObject: async (uri) => readFile(localPathOfUri(home, uri), 'utf8').catch(() => undefined),
    listObjects: async (prefixUri) => (await listFiles(localPathOfUri(home, prefixUri))).map((f) => `${prefixUri.replace(/\/?$/, '/')}${f}`),
    waitForJob: async (name) => {
      await runner.waitForJob(name);
      return port.describeTransformJob(name);
    },
    events: () => bus.delivered,
    close: async () => {
      sagemaker.restore();
      await runner.close();
      await rm(home, { recursive: true, force: true });
    },
  };
});

describe('SageMakerBatchTransform', () => {
  it('sends the default instance when the request names none, and refuses an unknown instance type before calling', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-sm-'));
    const runner = await LocalBatchTransform.open({ home, models: { m: async (b) => b }, bus: new DefaultBus() });
    const sagemaker = new SageMakerEmulator(runner);
    try {
      const port = new SageMakerBatchTransform(sagemaker.client);
      const request = {
        TransformJobName: 'tributary-a', ModelName: 'm',
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: 's3://tributary-refined/in/' } } },
        TransformOutput: { S3OutputPath: 's3://tributary-forecast/out/' },
      };
      await port.createTransformJob(request);
      expect(sagemaker.requests[0]?.TransformResources).toEqual({ InstanceType: 'ml.m5.large', InstanceCount: 1 });
      await expect(port.createTransformJob({ ...request, TransformJobName: 'tributary-b', TransformResources: { InstanceType: 'ml.huge', InstanceCount: 1 } })).rejects.toMatchObject({ code: 'ValidationException', message: expect.stringMatching(/InstanceType/) });
      expect(sagemaker.requests).toHaveLength(1);
      await runner.waitForJob('tributary-a');
    } finally {
      sagemaker.restore();
      await runner.close();
      await rm(home, { recursive: true, force: true });
    }
  });

  it('calls the model CloudFormation deployed for the manifest model, and describes the job with the manifest name', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-sm-'));
    const deployed = 'ModelTrafficForecastModel-Ab12Cd34Ef56';
    const runner = await LocalBatchTransform.open({ home, models: { [deployed]: async (b) => b }, bus: new DefaultBus() });
    const sagemaker = new SageMakerEmulator(runner);
    try {
      const port = new SageMakerBatchTransform(sagemaker.client, { 'traffic-forecast': deployed });
      await port.createTransformJob({
        TransformJobName: 'tributary-c', ModelName: 'traffic-forecast',
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://tributary-refined/in/' } } },
        TransformOutput: { S3OutputPath: 's3://tributary-forecast/out/' },
      });
      expect(sagemaker.requests[0]?.ModelName).toBe(deployed);
      await runner.waitForJob('tributary-c');
      expect((await port.describeTransformJob('tributary-c')).ModelName).toBe('traffic-forecast');
    } finally {
      sagemaker.restore();
      await runner.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
