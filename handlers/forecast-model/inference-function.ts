import type { InferenceFunction } from '../ports/batch-transform';
import { InvalidInferenceInputError } from './forecast-model-error';
import { parseRecordValue, transformJsonLines } from './json-lines-transform';
import type { ForecastModelArtifact } from './model-artifact';
import { predictRecord } from './predict';

/** Content types of JSON-lines bodies (SplitType=Line input). */
export const JSON_LINES_CONTENT_TYPES: ReadonlySet<string> = new Set(['application/jsonlines', 'application/x-jsonlines', 'application/jsonl']);

/**
 * A forecast model's `/invocations` as a function: the local batch-transform runner calls it,
 * and the SageMaker container serves it. JSON lines in (also when no content type is given) → one
 * JSON line out per non-blank input line, same order; `application/json` → one output object for one
 * record, an array for an array. Any other type, or a bad record, throws InvalidInferenceInputError.
 */
export function createInferenceFunction(artifact: ForecastModelArtifact | undefined): InferenceFunction {
  return async (body, contentType) => {
    const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (type === '' || JSON_LINES_CONTENT_TYPES.has(type)) return transformJsonLines(artifact, body);
    if (type === 'application/json') return JSON.stringify(transformJson(artifact, body));
    throw new InvalidInferenceInputError(`unsupported content type ${JSON.stringify(type)}: use application/jsonlines or application/json`);
  };
}

function transformJson(artifact: ForecastModelArtifact | undefined, body: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw new InvalidInferenceInputError(`body is not JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  if (Array.isArray(value)) return value.map((item, i) => predictRecord(artifact, parseRecordValue(item, `record ${i}`)));
  return predictRecord(artifact, parseRecordValue(value, 'body'));
}
