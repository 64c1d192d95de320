import { z } from 'zod';
import { StageId } from '../../../events/stage-ids';

/**
 * The environment variables the stack sets on every stage function and the composition root reads:
 * one name per setting, shared by both sides so they cannot drift.
 */
export const RuntimeEnvName = {
  Stage: 'TRIBUTARY_STAGE',
  Prefix: 'TRIBUTARY_PREFIX',
  Bus: 'TRIBUTARY_BUS',
  RawBucket: 'TRIBUTARY_RAW_BUCKET',
  RefinedBucket: 'TRIBUTARY_REFINED_BUCKET',
  ForecastBucket: 'TRIBUTARY_FORECAST_BUCKET',
  QuarantineBucket: 'TRIBUTARY_QUARANTINE_BUCKET',
  RefineWorkgroup: 'TRIBUTARY_REFINE_WORKGROUP',
  ReadWorkgroup: 'TRIBUTARY_READ_WORKGROUP',
  RunTable: 'TRIBUTARY_RUN_TABLE',
  IdempotencyTable: 'TRIBUTARY_IDEMPOTENCY_TABLE',
  AlertTopicArn: 'TRIBUTARY_ALERT_TOPIC_ARN',
  ModelNames: 'TRIBUTARY_MODEL_NAMES',
} as const;

const name = z.string().min(1);
const stageIds: [StageId, ...StageId[]] = [StageId.RegisterLanding, ...Object.values(StageId).filter((s) => s !== StageId.RegisterLanding)];

/** The parsed settings of one stage function. */
export const RuntimeEnvSchema = z.object({
  [RuntimeEnvName.Stage]: z.enum(stageIds),
  [RuntimeEnvName.Prefix]: name,
  [RuntimeEnvName.Bus]: name,
  [RuntimeEnvName.RawBucket]: name,
  [RuntimeEnvName.RefinedBucket]: name,
  [RuntimeEnvName.ForecastBucket]: name,
  [RuntimeEnvName.QuarantineBucket]: name,
  [RuntimeEnvName.RefineWorkgroup]: name,
  [RuntimeEnvName.ReadWorkgroup]: name,
  [RuntimeEnvName.RunTable]: name,
  [RuntimeEnvName.IdempotencyTable]: name,
  [RuntimeEnvName.AlertTopicArn]: name,
  /** JSON: each manifest model name → the SageMaker model deployed for it (CloudFormation names it). */
  [RuntimeEnvName.ModelNames]: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return z.record(z.string(), name).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected a JSON object of model names' });
        return z.NEVER;
      }
    }),
});
/** One function's settings. */
export type RuntimeEnv = z.infer<typeof RuntimeEnvSchema>;

/** Parses the process environment; throws naming every missing or bad variable (a deploy defect, not retryable). */
export function readRuntimeEnv(env: NodeJS.ProcessEnv): RuntimeEnv {
  const parsed = RuntimeEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`stage function misconfigured: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
