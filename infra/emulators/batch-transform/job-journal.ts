import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { TransformJobStatus, type TransformJobDescription } from '../../../handlers/ports/batch-transform';
import { writeFileAtomically } from './write-file-atomically';

const DateSchema = z.iso.datetime().transform((s) => new Date(s));

const JobSchema = z.object({
  TransformJobName: z.string(),
  TransformJobArn: z.string(),
  TransformJobStatus: z.enum(Object.values(TransformJobStatus)),
  FailureReason: z.string().optional(),
  ModelName: z.string(),
  TransformInput: z.object({
    DataSource: z.object({ S3DataSource: z.object({ S3DataType: z.literal('S3Prefix'), S3Uri: z.string() }) }),
    ContentType: z.string().optional(),
    CompressionType: z.enum(['None', 'Gzip']).optional(),
    SplitType: z.enum(['None', 'Line']).optional(),
  }),
  TransformOutput: z.object({ S3OutputPath: z.string(), Accept: z.string().optional(), AssembleWith: z.enum(['None', 'Line']).optional() }),
  BatchStrategy: z.enum(['MultiRecord', 'SingleRecord']),
  MaxPayloadInMB: z.number(),
  MaxConcurrentTransforms: z.number(),
  Environment: z.record(z.string(), z.string()),
  TransformResources: z.object({ InstanceType: z.string(), InstanceCount: z.number() }),
  CreationTime: DateSchema,
  TransformStartTime: DateSchema.optional(),
  TransformEndTime: DateSchema.optional(),
});

/**
 * The runner's record of its jobs, one JSON file per job under `<home>/batch-transform/jobs/`,
 * rewritten atomically at each state change. It is what makes job names unique across restarts and
 * lets a restarted runner finish the jobs a crash interrupted, as the service would have.
 */
export class JobJournal {
  private readonly dir: string;

  constructor(home: string) {
    this.dir = path.join(home, 'batch-transform', 'jobs');
  }

  /** Every job recorded; throws naming the file if one is malformed (run state is never skipped silently). */
  async load(): Promise<TransformJobDescription[]> {
    const names = await readdir(this.dir).catch((e: unknown) => {
      if (typeof e === 'object' && e !== null && Reflect.get(e, 'code') === 'ENOENT') return [];
      throw e;
    });
    const jobs: TransformJobDescription[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(this.dir, name);
      const parsed = JobSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (!parsed.success) throw new Error(`batch-transform job file ${file} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      jobs.push(parsed.data);
    }
    return jobs;
  }

  /** Writes the job's current state. */
  async save(job: TransformJobDescription): Promise<void> {
    await writeFileAtomically(path.join(this.dir, `${job.TransformJobName.toLowerCase()}.json`), `${JSON.stringify(job, null, 2)}\n`);
  }
}
