/** A JSON object as seen by the engine: a non-null, non-array object with string keys. */
export type JsonObject = { readonly [key: string]: unknown };

/** True for a non-null object that is not an array (a JSON object). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for JSON numbers: finite JS numbers (NaN and Infinity are not JSON). */
export function isJsonNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** True for the values a pattern may list as exact matches: string, number, boolean or null. */
export function isJsonScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isJsonNumber(value);
}
