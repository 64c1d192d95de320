import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { domainEventEnvelopeRegistry } from './domain-events';

/** Where the committed JSON Schemas live: one `<DetailType>.json` per domain event. */
export const JSON_SCHEMA_DIR = path.join(__dirname, 'json-schema');

/** Recursively sorts object keys (arrays keep their order) so output does not depend on declaration order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(Reflect.get(value, key));
  return sorted;
}

/**
 * Renders the JSON Schema of every domain event (full envelope with its detail), keyed by file name.
 *
 * Draft-04, because the EventBridge schema registry accepts `JSONSchemaDraft4` (and OpenAPI 3) only.
 * Keys are sorted and each file ends with a newline, so the output is byte-stable and diffs stay small.
 * Refinements (cross-field rules such as unique run ids) are not expressible and are left to zod.
 */
export function generateJsonSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [detailType, schema] of Object.entries(domainEventEnvelopeRegistry)) {
    const jsonSchema = z.toJSONSchema(schema, { target: 'draft-04' });
    const titled = { ...jsonSchema, title: detailType };
    files[`${detailType}.json`] = `${JSON.stringify(sortKeys(titled), null, 2)}\n`;
  }
  return files;
}

/** Writes the generated schemas into `dir` and removes `.json` files that no longer correspond to an event. */
export function writeJsonSchemas(dir: string = JSON_SCHEMA_DIR): string[] {
  const files = generateJsonSchemas();
  fs.mkdirSync(dir, { recursive: true });
  for (const existing of fs.readdirSync(dir)) {
    if (existing.endsWith('.json') && !(existing in files)) fs.rmSync(path.join(dir, existing));
  }
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return Object.keys(files);
}

if (require.main === module) {
  const written = writeJsonSchemas();
  process.stdout.write(`wrote ${written.length} JSON Schemas to ${path.relative(process.cwd(), JSON_SCHEMA_DIR)}: ${written.join(', ')}\n`);
}
