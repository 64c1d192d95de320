import { z } from 'zod';

/**
 * The deploy-time settings of the stack, read from CDK context (`-c key=value` or `cdk.json`).
 *
 * Everything has a default except `alertEmail`, so `npx cdk synth` works on a fresh clone; values
 * are validated here so a typo fails the synth with the key's name instead of a broken deploy.
 */
export const StackConfigSchema = z.strictObject({
  /** Prefix of every named resource (bus, crawlers, transform jobs, workgroup); also the rule patterns' prefix. */
  prefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, 'prefix: 2-21 of a-z 0-9 -, starting with a letter'),
  /** Where alarms are mailed; without it the topic has no subscription (a warning is printed). */
  alertEmail: z.email().optional(),
  /** Days the bus archive keeps events; 0 keeps them forever (EventBridge semantics). */
  archiveRetentionDays: z.coerce.number().int().nonnegative(),
  /** Athena cancels a query that scans more than this (10 MB minimum, per the service). */
  bytesScannedCutoffMb: z.coerce.number().int().min(10),
  /** Days a query result (and a stale staged partition) is kept. */
  queryResultDays: z.coerce.number().int().positive(),
  /** Memory of each stage function, in MB. */
  functionMemoryMb: z.coerce.number().int().min(128).max(10240),
  /** Dataset folders besides the built-in `sql/` (colon-separated, or a list in cdk.json), deployed with it. */
  datasetDirs: z.union([z.string(), z.array(z.string())]).optional(),
  /**
   * An ECR image (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` or `@sha256:…`) to serve
   * the forecast model from, instead of building `infra/sagemaker-container` with Docker at deploy
   * (for a pipeline that publishes the image itself, and for deploying where no Docker engine runs).
   */
  forecastImage: z
    .string()
    .regex(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9._/-]+(?::[\w.-]{1,128}|@sha256:[a-f0-9]{64})$/, 'forecastImage: an ECR image URI, <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>')
    .optional(),
});

/** The validated settings. */
export type StackConfig = z.infer<typeof StackConfigSchema>;

/** Defaults for every optional setting. */
export const defaultStackConfig: StackConfig = {
  prefix: 'tributary',
  archiveRetentionDays: 30,
  bytesScannedCutoffMb: 1024,
  queryResultDays: 7,
  functionMemoryMb: 1024,
};

/** Reads the settings from a context lookup, with defaults; throws naming the bad key. */
export function readStackConfig(context: (key: string) => unknown): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(StackConfigSchema.shape)) {
    const value = context(key);
    raw[key] = value ?? (key in defaultStackConfig ? Reflect.get(defaultStackConfig, key) : undefined);
  }
  const parsed = StackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid CDK context for the Tributary stack: ${issues}`);
  }
  return parsed.data;
}
