import { InvalidInferenceInputError } from './forecast-model-error';
import { InferenceRecordSchema, type InferenceRecord } from './inference-record';
import type { ForecastModelArtifact } from './model-artifact';
import { predictRecord } from './predict';

/**
 * Runs a JSON-lines mini-batch through the model, as SageMaker batch transform sends it with
 * SplitType=Line: one output line per non-blank input line, in the same order, each ending in a
 * newline. A line that does not parse or validate fails the whole request with
 * InvalidInferenceInputError naming its line number (SageMaker then fails that input file only).
 */
export function transformJsonLines(artifact: ForecastModelArtifact | undefined, body: string): string {
  const out: string[] = [];
  body.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    out.push(`${JSON.stringify(predictRecord(artifact, parseRecord(line, `line ${index + 1}`)))}\n`);
  });
  return out.join('');
}

/** Parses one inference record from JSON text; `where` labels the error (e.g. `line 3`). */
export function parseRecord(text: string, where: string): InferenceRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInferenceInputError(`${where}: not JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  return parseRecordValue(value, where);
}

/** Validates one parsed inference record; `where` labels the error. */
export function parseRecordValue(value: unknown, where: string): InferenceRecord {
  const parsed = InferenceRecordSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInferenceInputError(`${where}: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
}
