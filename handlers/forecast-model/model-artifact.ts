import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FEATURE_NAMES, FORECAST_STEPS } from './features';
import { QUARTERS_PER_DAY } from './quarter-series';
import { InvalidModelArtifactError } from './forecast-model-error';

/** The model's name, as datasets' manifests refer to it (`forecast.model`). */
export const TRAFFIC_SPEED_MODEL = 'traffic-speed';

const FiniteSchema = z.number().refine(Number.isFinite, 'expected a finite number');

/** The held-out evaluation recorded with a model: MAE (km/h) of the model and of two baselines on the same rows. */
export const ModelMetricsSchema = z.strictObject({
  modelMae: FiniteSchema,
  lastValueMae: FiniteSchema,
  sameSlotYesterdayMae: FiniteSchema,
  heldOutRows: z.number().int().nonnegative(),
  trainingRows: z.number().int().nonnegative(),
  heldOutFrom: z.string(),
});

/**
 * A trained traffic-speed model: per-step ridge coefficients over FEATURE_NAMES and each sensor's
 * 96-slot speed profile. `version` is `v1-` plus the first 12 hex digits of the SHA-256 of the rest
 * of the artifact, so the same training data always yields the same version and any edit changes it.
 */
export const TrafficSpeedModelSchema = z.strictObject({
  name: z.literal(TRAFFIC_SPEED_MODEL),
  version: z.string().regex(/^v1-[0-9a-f]{12}$/),
  trainedAt: z.string(),
  features: z.array(z.string()).refine((f) => f.join() === ['intercept', ...FEATURE_NAMES].join(), 'unexpected feature list'),
  stepMinutes: z.literal(15),
  lookbackHours: z.literal(25),
  coefficients: z.array(z.array(FiniteSchema).length(FEATURE_NAMES.length + 1)).length(FORECAST_STEPS),
  profiles: z.record(z.string(), z.array(FiniteSchema.nullable()).length(QUARTERS_PER_DAY)),
  metrics: ModelMetricsSchema,
});

/** A parsed traffic-speed model artifact. */
export type TrafficSpeedModel = z.infer<typeof TrafficSpeedModelSchema>;

/** The artifact without its version: what the version hashes. */
export type UnversionedModel = Omit<TrafficSpeedModel, 'version'>;

/** Hashes an artifact's content (keys in a fixed order) into its version string. */
export function modelVersionOf(content: UnversionedModel): string {
  return `v1-${createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 12)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Validates an artifact (parsed JSON) and checks that its version matches its content; throws
 * InvalidModelArtifactError naming the first problem, so a hand-edited or truncated model never serves.
 */
export function parseModelArtifact(value: unknown, source = 'model artifact'): TrafficSpeedModel {
  const parsed = TrafficSpeedModelSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidModelArtifactError(`${source} is invalid: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unknown'}`, { cause: parsed.error });
  }
  const { version, ...content } = parsed.data;
  const expected = modelVersionOf(content);
  if (version !== expected) throw new InvalidModelArtifactError(`${source} version ${version} does not match its content (${expected})`);
  return parsed.data;
}
