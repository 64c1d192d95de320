import type { ModelShape, ServiceModel } from './botocore-models';

/** One way a request breaks its operation's published input shape, with the member's path in the request. */
export type ModelViolation = { path: string; problem: string };

const patterns = new Map<string, RegExp | null>();

/** Botocore patterns are Java regexes matched against the whole value; JS reads them with the `u` flag where it can. */
function compiled(pattern: string): RegExp | null {
  if (patterns.has(pattern)) return patterns.get(pattern) ?? null;
  let regex: RegExp | null = null;
  for (const flags of ['u', '']) {
    try {
      regex = new RegExp(`^(?:${pattern})$`, flags);
      break;
    } catch {
      regex = null;
    }
  }
  patterns.set(pattern, regex);
  return regex;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);

function sizeOf(shape: ModelShape, value: unknown): number | undefined {
  if (typeof value === 'string') return shape.type === 'blob' ? Buffer.byteLength(value) : value.length;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.length;
  if (isRecord(value) && shape.type === 'map') return Object.keys(value).length;
  return undefined;
}

function checkBounds(shape: ModelShape, value: unknown, path: string, out: ModelViolation[]): void {
  const numeric = typeof value === 'number' || typeof value === 'bigint';
  const measured = numeric ? Number(value) : sizeOf(shape, value);
  if (measured === undefined) return;
  const what = numeric ? 'value' : shape.type === 'string' ? 'length' : shape.type === 'blob' ? 'byte length' : 'size';
  if (shape.min !== undefined && measured < shape.min) out.push({ path, problem: `${what} ${measured} is below the minimum ${shape.min}` });
  if (shape.max !== undefined && measured > shape.max) out.push({ path, problem: `${what} ${measured} is above the maximum ${shape.max}` });
}

const typeChecks: Readonly<Record<string, (value: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  long: (v) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint',
  float: (v) => typeof v === 'number',
  double: (v) => typeof v === 'number',
  timestamp: (v) => v instanceof Date || typeof v === 'number' || typeof v === 'string',
  blob: (v) => typeof v === 'string' || v instanceof Uint8Array || isRecord(v),
  list: (v) => Array.isArray(v),
  map: isRecord,
  structure: isRecord,
};

function walk(model: ServiceModel, shapeName: string, value: unknown, path: string, out: ModelViolation[]): void {
  const shape = model.shapes[shapeName];
  if (!shape || shape.document === true) return;
  const at = path === '' ? '(input)' : path;
  if (!(typeChecks[shape.type]?.(value) ?? true)) {
    out.push({ path: at, problem: `expected a ${shape.type}, got ${Array.isArray(value) ? 'array' : typeof value}` });
    return;
  }
  checkBounds(shape, value, at, out);
  if (typeof value === 'string' && shape.type === 'string') {
    if (shape.enum && !shape.enum.includes(value)) out.push({ path: at, problem: `${JSON.stringify(value)} is not one of ${shape.enum.join(', ')}` });
    const regex = shape.pattern === undefined ? null : compiled(shape.pattern);
    if (regex && !regex.test(value)) out.push({ path: at, problem: `${JSON.stringify(value.slice(0, 80))} does not match the pattern ${shape.pattern ?? ''}` });
  }
  if (Array.isArray(value) && shape.member) {
    const member = shape.member.shape;
    value.forEach((item, i) => walk(model, member, item, `${path}[${i}]`, out));
  }
  if (isRecord(value) && shape.type === 'map' && shape.key && shape.value) {
    for (const [key, item] of Object.entries(value)) {
      walk(model, shape.key.shape, key, `${path}{key ${JSON.stringify(key)}}`, out);
      walk(model, shape.value.shape, item, `${path}[${JSON.stringify(key)}]`, out);
    }
  }
  if (isRecord(value) && shape.type === 'structure') checkStructure(model, shape, value, path, out);
}

function checkStructure(model: ServiceModel, shape: ModelShape, value: Record<string, unknown>, path: string, out: ModelViolation[]): void {
  const members = shape.members ?? {};
  const join = (name: string): string => (path === '' ? name : `${path}.${name}`);
  for (const name of shape.required ?? []) if (value[name] === undefined) out.push({ path: join(name), problem: 'is required but missing' });
  const present = Object.keys(value).filter((name) => value[name] !== undefined);
  for (const name of present) {
    const member = members[name];
    if (member) walk(model, member.shape, value[name], join(name), out);
    else out.push({ path: join(name), problem: 'is not a member of this shape' });
  }
  if (shape.union === true && present.length !== 1) out.push({ path: path === '' ? '(input)' : path, problem: `a union takes exactly one member, got ${present.length}` });
}

/**
 * Checks a request against its operation's input shape in the service's published model: required
 * members, unknown members, types, min/max (lengths, sizes, values), enums and patterns (whole-value
 * match, as AWS's validators do), through nested structures, lists, maps and unions.
 * Returns every violation; an empty list means the service would accept the request's shape.
 */
export function validateRequest(model: ServiceModel, operation: string, input: unknown): ModelViolation[] {
  const op = model.operations[operation];
  if (!op) return [{ path: '(operation)', problem: `${model.metadata.serviceId} has no operation ${operation}` }];
  const out: ModelViolation[] = [];
  if (op.input) walk(model, op.input.shape, input ?? {}, '', out);
  return out;
}
