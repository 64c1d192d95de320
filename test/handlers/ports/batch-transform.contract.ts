import { SageMakerTransformJobStateChangeEventSchema } from '../../../contracts/aws-events';
import type { EventEnvelope } from '../../../contracts/envelope';
import type { BatchTransformPort, CreateTransformJobRequest, InferenceFunction, TransformJobDescription } from '../../../handlers/ports/batch-transform';
import { InvalidTransformJobError, TransformJobExistsError, TransformJobNotFoundError } from '../../../handlers/ports/batch-transform-errors';

/** What a batch-transform adapter under test provides, around a port that serves the given models. */
export interface BatchTransformFixture {
  readonly port: BatchTransformPort;
  putObject(uri: string, body: string): Promise<void>;
  /** The object's text, or undefined when it does not exist. */
  readObject(uri: string): Promise<string | undefined>;
  /** Every object URI under a prefix URI, sorted. */
  listObjects(prefixUri: string): Promise<string[]>;
  /** Resolves when the job has ended. */
  waitForJob(name: string): Promise<TransformJobDescription>;
  /** The events the adapter put on the bus so far, as delivered envelopes. */
  events(): EventEnvelope[];
  close(): Promise<void>;
}

/** A real model for the suite: each JSON line `{"sensor", "speeds"}` becomes `{"sensor", "mean", "n"}`; it records every call. */
function meanSpeedModel(calls: { body: string; contentType: string }[]): InferenceFunction {
  return async (body, contentType) => {
    calls.push({ body, contentType });
    if (contentType !== 'application/jsonlines') throw new Error(`unsupported content type ${contentType}`);
    return body
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const row: unknown = JSON.parse(line);
        if (typeof row !== 'object' || row === null || !Array.isArray(Reflect.get(row, 'speeds'))) throw new Error(`bad record: ${line.slice(0, 60)}`);
        const speeds: unknown[] = Reflect.get(row, 'speeds');
        const mean = speeds.reduce((sum: number, s) => sum + Number(s), 0) / speeds.length;
        return JSON.stringify({ sensor: Reflect.get(row, 'sensor'), mean, n: speeds.length });
      })
      .join('\n');
  };
}

const line = (sensor: string, speeds: number[]): string => `${JSON.stringify({ sensor, speeds })}\n`;

function request(name: string, overrides: Partial<CreateTransformJobRequest> = {}): CreateTransformJobRequest {
  return {
    TransformJobName: name,
    ModelName: 'mean-speed',
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://tributary-refined/forecast-input/' } }, ContentType: 'application/jsonlines', SplitType: 'Line' },
    TransformOutput: { S3OutputPath: 's3://tributary-forecast/out/', Accept: 'application/jsonlines', AssembleWith: 'Line' },
    BatchStrategy: 'MultiRecord',
    MaxPayloadInMB: 6,
    ...overrides,
  };
}

/**
 * The contract of the BatchTransform port: jobs read every object under the input prefix, call the
 * model with `/invocations` bodies, write `<relative key>.out` files, end Completed or Failed, and
 * announce each state as a `SageMaker Transform Job State Change` event.
 */
export function batchTransformContract(name: string, makeFixture: (models: Record<string, InferenceFunction>) => Promise<BatchTransformFixture>): void {
  describe(`BatchTransform contract: ${name}`, () => {
    let fx: BatchTransformFixture;
    let calls: { body: string; contentType: string }[];
    beforeEach(async () => {
      calls = [];
      fx = await makeFixture({ 'mean-speed': meanSpeedModel(calls) });
    });
    afterEach(async () => fx.close());

    it('transforms every object under the prefix into <key>.out, in record order, and announces InProgress then Completed', async () => {
      await fx.putObject('s3://tributary-refined/forecast-input/a.jsonl', line('s1', [50, 60, 70]) + line('s2', [10, 20]));
      await fx.putObject('s3://tributary-refined/forecast-input/sub/b.jsonl', line('s3', [100]));
      await fx.putObject('s3://tributary-refined/elsewhere/c.jsonl', line('nope', [1]));
      const { TransformJobArn } = await fx.port.createTransformJob(request('tributary-traffic-1'));
      expect(TransformJobArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:transform-job/tributary-traffic-1');
      const job = await fx.waitForJob('tributary-traffic-1');
      expect(job).toMatchObject({ TransformJobStatus: 'Completed', TransformJobArn, ModelName: 'mean-speed' });
      expect(job.FailureReason).toBeUndefined();
      expect(job.TransformEndTime?.getTime()).toBeGreaterThanOrEqual(job.TransformStartTime?.getTime() ?? Infinity);
      expect(await fx.listObjects('s3://tributary-forecast/out/')).toEqual(['s3://tributary-forecast/out/a.jsonl.out', 's3://tributary-forecast/out/sub/b.jsonl.out']);
      expect(await fx.readObject('s3://tributary-forecast/out/a.jsonl.out')).toBe('{"sensor":"s1","mean":60,"n":3}\n{"sensor":"s2","mean":15,"n":2}\n');
      expect(await fx.readObject('s3://tributary-forecast/out/sub/b.jsonl.out')).toBe('{"sensor":"s3","mean":100,"n":1}\n');
      expect(calls.every((c) => c.contentType === 'application/jsonlines')).toBe(true);
      expect(calls.map((c) => c.body).sort()).toEqual([line('s1', [50, 60, 70]) + line('s2', [10, 20]), line('s3', [100])]);
      const events = fx.events().map((e) => SageMakerTransformJobStateChangeEventSchema.parse(e));
      expect(events.map((e) => e.detail.TransformJobStatus)).toEqual(['InProgress', 'Completed']);
      for (const event of events) {
        expect(event).toMatchObject({ source: 'aws.sagemaker', 'detail-type': 'SageMaker Transform Job State Change', resources: [TransformJobArn] });
        expect(event.detail).toMatchObject({ TransformJobName: 'tributary-traffic-1', ModelName: 'mean-speed', BatchStrategy: 'MultiRecord', MaxPayloadInMB: 6 });
        expect(event.detail.TransformInput?.DataSource.S3DataSource.S3Uri).toBe('s3://tributary-refined/forecast-input/');
        expect(event.detail.TransformOutput).toMatchObject({ S3OutputPath: 's3://tributary-forecast/out/', AssembleWith: 'Line' });
        expect(event.detail).not.toHaveProperty('FailureReason');
      }
      expect(typeof events[1]?.detail.TransformEndTime).toBe('number');
    });

    it('packs whole lines into bodies no larger than MaxPayloadInMB, and the output keeps every record in order', async () => {
      const pad = 'x'.repeat(1000);
      const lines = Array.from({ length: 2500 }, (_, i) => `${JSON.stringify({ sensor: `s${i}`, speeds: [i, i + 2], pad })}\n`);
      const file = lines.join('');
      await fx.putObject('s3://tributary-refined/forecast-input/big.jsonl', file);
      await fx.port.createTransformJob(request('tributary-big', { MaxPayloadInMB: 1 }));
      expect((await fx.waitForJob('tributary-big')).TransformJobStatus).toBe('Completed');
      const mib = 1024 * 1024;
      expect(Buffer.byteLength(file)).toBeGreaterThan(2 * mib);
      expect(calls.length).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(file) / mib));
      calls.forEach((call, i) => {
        expect(Buffer.byteLength(call.body)).toBeLessThanOrEqual(mib);
        expect(call.body.endsWith('\n')).toBe(true);
        const nextLine = calls[i + 1]?.body.slice(0, calls[i + 1]?.body.indexOf('\n') ?? 0);
        if (nextLine !== undefined) expect(Buffer.byteLength(call.body) + Buffer.byteLength(nextLine) + 1).toBeGreaterThan(mib);
      });
      expect(calls.map((c) => c.body).join('')).toBe(file);
      const out = (await fx.readObject('s3://tributary-forecast/out/big.jsonl.out'))?.split('\n').filter((l) => l !== '') ?? [];
      expect(out).toHaveLength(2500);
      expect(out[1234]).toBe('{"sensor":"s1234","mean":1235,"n":2}');
    });

    it('sends one record per body with SingleRecord, and concatenates responses as they are with AssembleWith None', async () => {
      await fx.putObject('s3://tributary-refined/forecast-input/a.jsonl', line('s1', [1]) + line('s2', [2]) + line('s3', [3]));
      await fx.port.createTransformJob(request('tributary-single', { BatchStrategy: 'SingleRecord', TransformOutput: { S3OutputPath: 's3://tributary-forecast/single', AssembleWith: 'None' } }));
      expect((await fx.waitForJob('tributary-single')).TransformJobStatus).toBe('Completed');
      expect(calls.map((c) => c.body)).toEqual([line('s1', [1]), line('s2', [2]), line('s3', [3])]);
      expect(await fx.readObject('s3://tributary-forecast/single/a.jsonl.out')).toBe('{"sensor":"s1","mean":1,"n":1}{"sensor":"s2","mean":2,"n":1}{"sensor":"s3","mean":3,"n":1}');
    });

    it('fails the job when a file fails, writing no .out for it while the other files complete, and says why', async () => {
      await fx.putObject('s3://tributary-refined/forecast-input/good.jsonl', line('s1', [5, 7]));
      await fx.putObject('s3://tributary-refined/forecast-input/bad.jsonl', line('s2', [1]) + '{"sensor":"s3"}\n');
      await fx.port.createTransformJob(request('tributary-bad'));
      const job = await fx.waitForJob('tributary-bad');
      expect(job.TransformJobStatus).toBe('Failed');
      expect(job.FailureReason).toMatch(/bad\.jsonl: bad record: \{"sensor":"s3"\}/);
      expect(await fx.listObjects('s3://tributary-forecast/out/')).toEqual(['s3://tributary-forecast/out/good.jsonl.out']);
      const last = fx.events().at(-1);
      expect(last?.detail).toMatchObject({ TransformJobStatus: 'Failed', FailureReason: job.FailureReason });
    });

    it('fails a job whose prefix holds no object, and a file with a record larger than MaxPayloadInMB', async () => {
      await fx.port.createTransformJob(request('tributary-empty', { TransformInput: { ...request('x').TransformInput, DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://tributary-refined/nothing-here/' } } } }));
      expect(await fx.waitForJob('tributary-empty')).toMatchObject({ TransformJobStatus: 'Failed', FailureReason: expect.stringMatching(/No S3 objects found/) });
      await fx.putObject('s3://tributary-refined/forecast-input/huge.jsonl', `${JSON.stringify({ sensor: 'h', speeds: [1], pad: 'y'.repeat(1024 * 1024) })}\n`);
      await fx.port.createTransformJob(request('tributary-huge', { MaxPayloadInMB: 1 }));
      expect(await fx.waitForJob('tributary-huge')).toMatchObject({ TransformJobStatus: 'Failed', FailureReason: expect.stringMatching(/huge\.jsonl: record 1 is \d+ bytes, larger than MaxPayloadInMB/) });
      expect(calls).toHaveLength(0);
    });

    it('rejects a job name already used, like SageMaker (ResourceInUse)', async () => {
      await fx.putObject('s3://tributary-refined/forecast-input/a.jsonl', line('s1', [1]));
      await fx.port.createTransformJob(request('tributary-once'));
      const during = await fx.port.createTransformJob(request('tributary-once')).catch((e: unknown) => e);
      expect(during).toBeInstanceOf(TransformJobExistsError);
      expect(during).toMatchObject({ code: 'ResourceInUse', retryable: false, message: expect.stringMatching(/Job name must be unique/) });
      await fx.waitForJob('tributary-once');
      await expect(fx.port.createTransformJob(request('TRIBUTARY-ONCE'))).rejects.toThrow(TransformJobExistsError);
      expect(calls).toHaveLength(1);
    });

    it('rejects invalid requests with a ValidationException naming the field, and unknown jobs on describe', async () => {
      await expect(fx.port.createTransformJob(request('bad_name'))).rejects.toThrow(/TransformJobName/);
      await expect(fx.port.createTransformJob(request('tributary-x', { ModelName: 'no-such-model' }))).rejects.toThrow(/Could not find model "no-such-model"/);
      await expect(fx.port.createTransformJob(request('tributary-x', { MaxPayloadInMB: 101 }))).rejects.toThrow(/MaxPayloadInMB/);
      await expect(fx.port.createTransformJob(request('tributary-x', { MaxConcurrentTransforms: 20, MaxPayloadInMB: 6 }))).rejects.toMatchObject({ code: 'ValidationException' });
      await expect(fx.port.createTransformJob(request('tributary-x'))).resolves.toBeDefined();
      await expect(fx.port.describeTransformJob('never-created')).rejects.toThrow(TransformJobNotFoundError);
      await expect(fx.port.createTransformJob(request('tributary-y', { ModelName: 'nope' }))).rejects.toBeInstanceOf(InvalidTransformJobError);
      await fx.waitForJob('tributary-x');
    });
  });
}
