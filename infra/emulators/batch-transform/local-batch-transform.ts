import type { EventBusTransport } from '../../../events/put-events';
import {
  TransformJobStatus,
  type BatchTransformPort,
  type CreateTransformJobRequest,
  type InferenceFunction,
  type TransformJobDescription,
} from '../../../handlers/ports/batch-transform';
import { TransformJobExistsError, TransformJobNotFoundError } from '../../../handlers/ports/batch-transform-errors';
import { JobJournal } from './job-journal';
import { runTransform } from './run-transform';
import { transformJobStateChangeEntry } from './transform-job-event';
import { transformJobSpec } from './transform-job-spec';

/** What the local runner needs: the home (lake and job journal), the models, and the bus. */
export interface LocalBatchTransformOptions {
  readonly home: string;
  /** Model registry: `ModelName` → its inference code, the same code the SageMaker container serves. */
  readonly models: Readonly<Record<string, InferenceFunction>>;
  /** Where the `SageMaker Transform Job State Change` events go (bus `default`). */
  readonly bus: EventBusTransport;
  readonly account?: string;
  readonly region?: string;
  readonly now?: () => Date;
  /**
   * Run again, on open, the jobs the journal shows InProgress (default true): they were cut off by a
   * crash. Pass false to do it later with `resumeInterrupted` (once the bus delivers), or never in a
   * process that shares the home with its owner, whose jobs they may be.
   */
  readonly resume?: boolean;
  /** Told when an event could not be put after retries, or a finished job's state not saved; default: one line to stderr. */
  readonly onError?: (error: unknown, what: string) => void;
}

const EVENT_ATTEMPTS = 5;

/**
 * SageMaker batch transform on one machine. `createTransformJob` checks the request, records the job
 * and returns its ARN while the job runs on in-process: InProgress, then Completed or Failed (with a
 * FailureReason), each announced as a `SageMaker Transform Job State Change` event on the default bus.
 * Jobs are journalled on disk, so names stay unique across restarts and a job that a crash cut short
 * is run again from the start when the runner reopens (outputs are rewritten whole, atomically).
 */
export class LocalBatchTransform implements BatchTransformPort {
  private readonly jobs = new Map<string, TransformJobDescription>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly journal: JobJournal;
  private readonly now: () => Date;

  private constructor(private readonly options: LocalBatchTransformOptions) {
    this.journal = new JobJournal(options.home);
    this.now = options.now ?? (() => new Date());
  }

  /** Opens the runner: loads the journal and resumes every job left InProgress. */
  static async open(options: LocalBatchTransformOptions): Promise<LocalBatchTransform> {
    const runner = new LocalBatchTransform(options);
    for (const job of await runner.journal.load()) {
      runner.jobs.set(job.TransformJobName.toLowerCase(), job);
      if (job.TransformJobStatus === TransformJobStatus.InProgress && options.resume !== false) runner.launch(job);
    }
    return runner;
  }

  async createTransformJob(request: CreateTransformJobRequest): Promise<{ TransformJobArn: string }> {
    const spec = transformJobSpec(request, {
      home: this.options.home,
      models: new Set(Object.keys(this.options.models)),
      region: this.options.region ?? 'us-east-1',
      account: this.options.account ?? '000000000000',
    });
    const key = spec.TransformJobName.toLowerCase();
    const existing = this.jobs.get(key);
    if (existing) throw new TransformJobExistsError(spec.TransformJobName, existing.TransformJobArn);
    const job: TransformJobDescription = { ...spec, TransformJobStatus: TransformJobStatus.InProgress, CreationTime: this.now() };
    this.jobs.set(key, job);
    try {
      await this.journal.save(job);
    } catch (e) {
      this.jobs.delete(key);
      throw e;
    }
    await this.emit(job);
    this.launch(job);
    return { TransformJobArn: job.TransformJobArn };
  }

  async describeTransformJob(name: string): Promise<TransformJobDescription> {
    const job = this.jobs.get(String(name).toLowerCase());
    if (!job) throw new TransformJobNotFoundError(name);
    return job;
  }

  /** Resolves with the job's description once it has ended (at once if it has). Local only: on AWS, wait for the event. */
  async waitForJob(name: string): Promise<TransformJobDescription> {
    await this.running.get(String(name).toLowerCase());
    return this.describeTransformJob(name);
  }

  /** Runs again the jobs a crash left InProgress that are not running yet; returns their names. */
  resumeInterrupted(): string[] {
    const resumed: string[] = [];
    for (const [key, job] of this.jobs) {
      if (job.TransformJobStatus !== TransformJobStatus.InProgress || this.running.has(key)) continue;
      this.launch(job);
      resumed.push(job.TransformJobName);
    }
    return resumed;
  }

  /** Names of the jobs running now, including those resumed after a crash. */
  runningJobNames(): string[] {
    return [...this.running.keys()].map((key) => this.jobs.get(key)?.TransformJobName ?? key);
  }

  /** Waits for every running job to end. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(job: TransformJobDescription): void {
    const key = job.TransformJobName.toLowerCase();
    const done = this.execute(job).finally(() => this.running.delete(key));
    this.running.set(key, done);
  }

  private async execute(created: TransformJobDescription): Promise<void> {
    const key = created.TransformJobName.toLowerCase();
    const started: TransformJobDescription = { ...created, TransformStartTime: this.now() };
    this.jobs.set(key, started);
    const infer = this.options.models[started.ModelName];
    const result = infer
      ? await runTransform(this.options.home, started, infer).catch((e: unknown) => ({ failureReason: `InternalServerError: ${e instanceof Error ? e.message : String(e)}` }))
      : { failureReason: `ClientError: model ${started.ModelName} is no longer registered` };
    const ended: TransformJobDescription = {
      ...started,
      TransformJobStatus: result.failureReason === undefined ? TransformJobStatus.Completed : TransformJobStatus.Failed,
      ...(result.failureReason === undefined ? {} : { FailureReason: result.failureReason }),
      TransformEndTime: this.now(),
    };
    this.jobs.set(key, ended);
    await this.journal.save(ended).catch((e: unknown) => this.report(e, `save the state of job ${ended.TransformJobName}`));
    await this.emit(ended);
  }

  /** Puts the job's state-change event, retrying a failed put; a put that never succeeds is reported. */
  private async emit(job: TransformJobDescription): Promise<void> {
    const entry = transformJobStateChangeEntry(job, this.now());
    let lastError: unknown;
    for (let attempt = 0; attempt < EVENT_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      try {
        const out = await this.options.bus.putEvents([entry]);
        const result = out.Entries[0];
        if (out.FailedEntryCount === 0 && result?.EventId !== undefined) return;
        lastError = new Error(`PutEvents rejected the entry: ${result?.ErrorCode ?? 'no result'} ${result?.ErrorMessage ?? ''}`.trim());
      } catch (e) {
        lastError = e;
      }
    }
    this.report(lastError, `publish ${entry.DetailType} (${job.TransformJobStatus}) for ${job.TransformJobArn}`);
  }

  private report(error: unknown, what: string): void {
    if (this.options.onError) return this.options.onError(error, what);
    process.stderr.write(`batch-transform: could not ${what}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
