import type { EventEnvelope } from '../../../contracts/envelope';
import { BusValidationError } from './bus-errors';
import { compileJsonPath, evaluateJsonPath } from './json-path';

/** How a target shapes what it receives (at most one is set), as persisted with the target. */
export interface TargetInputOptions {
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: { readonly inputPathsMap?: Readonly<Record<string, string>>; readonly inputTemplate: string };
}

/** The per-delivery values of the reserved `aws.events.*` variables. */
export interface DeliveryContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** Ingestion time, ISO-8601. */
  readonly ingestionTime: string;
}

/** What a target receives: the event itself, a text payload, or nothing (the template rendered invalid JSON). */
export type RenderedInput = { readonly kind: 'event' } | { readonly kind: 'text'; readonly text: string } | { readonly kind: 'skip'; readonly reason: string };

const RESERVED: readonly string[] = ['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time', 'aws.events.event', 'aws.events.event.json'];
const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/g;
const PLACEHOLDER_AT = /<([A-Za-z0-9_.-]+)>/y;
const KEY = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Validates a target's Input, InputPath or InputTransformer as PutTargets does on EventBridge:
 * at most one of them; Input valid JSON of at most 8192 characters; paths in the supported JSONPath
 * subset of at most 256 characters; at most 100 InputPathsMap keys of `[A-Za-z0-9_-]`; an
 * InputTemplate of 1..8192 characters whose every `<placeholder>` is a key or a reserved variable.
 */
export function validateTargetInput(targetId: string, options: TargetInputOptions): void {
  const given = [options.input, options.inputPath, options.inputTransformer].filter((option) => option !== undefined).length;
  if (given > 1) throw new BusValidationError(`Only one of Input, InputPath, or InputTransformer must be provided for target ${targetId}.`);
  if (options.input !== undefined) {
    if (options.input.length > 8192) throw new BusValidationError(`Input for target ${targetId} must be at most 8192 characters.`);
    try {
      JSON.parse(options.input);
    } catch {
      throw new BusValidationError(`Input for target ${targetId} is not valid JSON text.`);
    }
  }
  if (options.inputPath !== undefined) requirePath(targetId, 'InputPath', options.inputPath);
  const transformer = options.inputTransformer;
  if (transformer === undefined) return;
  const keys = Object.keys(transformer.inputPathsMap ?? {});
  if (keys.length > 100) throw new BusValidationError(`InputPathsMap for target ${targetId} has more than 100 entries.`);
  for (const key of keys) {
    if (RESERVED.includes(key) || key.startsWith('aws.')) throw new BusValidationError(`InputTransformer for target ${targetId} contains a reserved variable name ${key}.`);
    if (!KEY.test(key)) throw new BusValidationError(`InputPathsMap key ${key} for target ${targetId} must be 1-256 characters of [A-Za-z0-9_-].`);
    requirePath(targetId, `InputPathsMap[${key}]`, transformer.inputPathsMap?.[key] ?? '');
  }
  const template = transformer.inputTemplate;
  if (template.length < 1 || template.length > 8192) throw new BusValidationError(`InputTemplate for target ${targetId} must be 1-8192 characters.`);
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!keys.includes(name) && !RESERVED.includes(name)) throw new BusValidationError(`InputTemplate for target ${targetId} contains invalid placeholder ${name}.`);
  }
}

function requirePath(targetId: string, member: string, path: string): void {
  if (path.length > 256 || compileJsonPath(path) === undefined) throw new BusValidationError(`${member} for target ${targetId} is not a valid JSON path: ${path}`);
}

/** `<aws.events.event>`: the envelope without `detail`, keyed and ordered as EventBridge renders it. */
function eventMetadata(event: EventEnvelope): Record<string, unknown> {
  return { id: event.id, account: event.account, detailType: event['detail-type'], time: event.time, source: event.source, region: event.region, resources: event.resources, version: event.version };
}

/** A value as EventBridge inserts it inside a JSON string: unquoted, unescaped, objects as `{k:v}`. */
function rawText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(rawText).join(',')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.entries(value).map(([key, member]) => `${key}:${rawText(member)}`).join(',')}}`;
  return String(value);
}

/** A value as EventBridge inserts it in value position: JSON, and `""` for a path that selected nothing. */
function jsonText(value: unknown): string {
  return value === undefined ? '""' : JSON.stringify(value);
}

/**
 * Renders what a target receives for one event, as EventBridge does: the event (no option set), the
 * Input text, the JSON of what InputPath selects (`null` when it selects nothing), or the
 * InputTemplate with each placeholder replaced. A placeholder inside a JSON string gets the raw text
 * of its value; elsewhere it gets the value's JSON. A template that looks like JSON (starts with `{`
 * or `[`) and renders invalid JSON is not delivered (`skip`), as EventBridge silently drops it.
 */
export function renderTargetInput(options: TargetInputOptions, event: EventEnvelope, context: DeliveryContext): RenderedInput {
  if (options.input !== undefined) return { kind: 'text', text: options.input };
  if (options.inputPath !== undefined) {
    const path = compileJsonPath(options.inputPath);
    const value = path === undefined ? undefined : evaluateJsonPath(path, event);
    return { kind: 'text', text: value === undefined ? 'null' : JSON.stringify(value) };
  }
  const transformer = options.inputTransformer;
  if (transformer === undefined) return { kind: 'event' };
  const values = new Map<string, unknown>([
    ['aws.events.rule-arn', context.ruleArn],
    ['aws.events.rule-name', context.ruleName],
    ['aws.events.event.ingestion-time', context.ingestionTime],
    ['aws.events.event', eventMetadata(event)],
    ['aws.events.event.json', event],
  ]);
  for (const [key, pathText] of Object.entries(transformer.inputPathsMap ?? {})) {
    const path = compileJsonPath(pathText);
    values.set(key, path === undefined ? undefined : evaluateJsonPath(path, event));
  }
  const text = substitute(transformer.inputTemplate, values);
  if (/^\s*[[{]/.test(transformer.inputTemplate)) {
    try {
      JSON.parse(text);
    } catch (error) {
      return { kind: 'skip', reason: `the InputTemplate rendered invalid JSON (${error instanceof Error ? error.message : String(error)})` };
    }
  }
  return { kind: 'text', text };
}

function substitute(template: string, values: ReadonlyMap<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let at = 0; at < template.length; ) {
    const char = template[at] ?? '';
    if (char === '<') {
      PLACEHOLDER_AT.lastIndex = at;
      const found = PLACEHOLDER_AT.exec(template);
      const name = found?.[1];
      if (found !== null && name !== undefined && values.has(name)) {
        const value = values.get(name);
        out += inString ? rawText(value) : jsonText(value);
        at += found[0].length;
        continue;
      }
    }
    if (char === '\\' && inString) {
      out += template.slice(at, at + 2);
      at += 2;
      continue;
    }
    if (char === '"') inString = !inString;
    out += char;
    at += 1;
  }
  return out;
}
