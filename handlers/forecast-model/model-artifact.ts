import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidModelArtifactError } from './forecast-model-error';
import { ModelNames } from './forecast-models';
import { EVERY_PATTERN } from './step-grid';

const FiniteSchema = z.number().refine(Number.isFinite, 'expected a finite number');

/** The model version of forecasts made without a trained artifact (the built-in seasonal-naive). */
export const UNTRAINED_VERSION = 'untrained';

/** One candidate's backtest: MAE in the target's units and MASE (MAE over the in-sample seasonal-naive MAE; null when that is 0). */
export const BacktestScoreSchema = z.strictObject({
  model: z.enum(ModelNames),
  mae: FiniteSchema,
  mase: FiniteSchema.nullable(),
});

/** The rolling-origin backtest recorded with a model: where it starts, its size, the MASE scale and each candidate's score. */
export const BacktestSchema = z.strictObject({
  from: z.string(),
  origins: z.number().int().nonnegative(),
  forecasts: z.number().int().nonnegative(),
  scale: FiniteSchema,
  scores: z.array(BacktestScoreSchema),
});

/**
 * A dataset's trained forecast model: the chosen candidate, the series settings it was trained for
 * (`every`, `horizon`, `season`), the learned model's per-step coefficients over `features`, and the
 * backtest that chose it. `version` is `v2-` plus the first 12 hex digits of the SHA-256 of the rest,
 * so the same training data always yields the same version and any edit changes it.
 */
export const ForecastModelArtifactSchema = z
  .strictObject({
    dataset: z.string().min(1),
    model: z.enum(ModelNames),
    version: z.string().regex(/^v2-[0-9a-f]{12}$/),
    trainedAt: z.string(),
    every: z.string().regex(EVERY_PATTERN),
    horizon: z.number().int().positive(),
    season: z.number().int().positive(),
    features: z.array(z.string()),
    coefficients: z.array(z.array(FiniteSchema)),
    trainingRows: z.number().int().nonnegative(),
    backtest: BacktestSchema,
  })
  .refine((a) => a.model !== 'ridge-lags' || (a.coefficients.length === a.horizon && a.coefficients.every((c) => c.length === a.features.length)), {
    message: 'ridge-lags needs one coefficient per feature for each step of the horizon',
    path: ['coefficients'],
  });

/** A parsed forecast model artifact. */
export type ForecastModelArtifact = z.infer<typeof ForecastModelArtifactSchema>;

/** The artifact without its version: what the version hashes. */
export type UnversionedArtifact = Omit<ForecastModelArtifact, 'version'>;

/** Hashes an artifact's content (keys in a fixed order) into its version string. */
export function modelVersionOf(content: UnversionedArtifact): string {
  return `v2-${createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 12)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The file name of a dataset's artifact of a version: `<dataset>-<version>.json`. */
export function artifactFileName(artifact: { readonly dataset: string; readonly version: string }): string {
  return `${artifact.dataset}-${artifact.version}.json`;
}

/**
 * Validates an artifact (parsed JSON) and checks that its version matches its content; throws
 * InvalidModelArtifactError naming the first problem, so a hand-edited or truncated model never serves.
 */
export function parseModelArtifact(value: unknown, source = 'model artifact'): ForecastModelArtifact {
  const parsed = ForecastModelArtifactSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidModelArtifactError(`${source} is invalid: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unknown'}`, { cause: parsed.error });
  }
  const { version, ...content } = parsed.data;
  const expected = modelVersionOf(content);
  if (version !== expected) throw new InvalidModelArtifactError(`${source} version ${version} does not match its content (${expected})`);
  return parsed.data;
}
