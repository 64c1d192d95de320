import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../../../contracts/envelope';
import { hasOnlyExactNumbers, parseEventText } from '../../../events/pattern';
import type { PutEventsEntry } from '../../../events/put-events';
import { LOCAL_ACCOUNT, LOCAL_REGION, busNameOf } from './bus-arns';
import { BusValidationError } from './bus-errors';

/** EventBridge's default PutEvents request size limit (256 KiB), counted as {@link entrySize} does. */
export const DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;
/** EventBridge's per-request entry limit. */
export const MAX_ENTRIES = 10;

/** One entry after validation: the envelope to ingest on a bus, or the per-entry error to report. */
export type EntryOutcome =
  | { readonly ok: true; readonly busName: string; readonly event: EventEnvelope }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

/**
 * The size EventBridge charges an entry: 14 bytes when `Time` is set, plus the UTF-8 bytes of Source,
 * DetailType, Detail and every Resources string (not the size of the final JSON event).
 */
export function entrySize(entry: PutEventsEntry): number {
  let size = entry.Time !== undefined ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail]) if (text !== undefined) size += Buffer.byteLength(text, 'utf8');
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, 'utf8');
  return size;
}

/** Rejects a whole request as EventBridge does: 1..10 entries, total size within `maxBytes`. */
export function validatePutEventsRequest(entries: readonly PutEventsEntry[], maxBytes: number): void {
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    const constraint = entries.length < 1 ? 'Member must have length greater than or equal to 1' : 'Member must have length less than or equal to 10';
    throw new BusValidationError(`1 validation error detected: Value at 'entries' failed to satisfy constraint: ${constraint}`);
  }
  let total = 0;
  for (const entry of entries) total += entrySize(entry);
  if (total > maxBytes) throw new BusValidationError('Total size of the entries in the request is over the limit.');
}

/** ISO-8601 UTC with seconds precision, as EventBridge stamps `time` (`2015-11-11T21:29:54Z`). */
export function eventTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function invalid(parameter: string, reason: string): EntryOutcome {
  return { ok: false, errorCode: 'InvalidArgument', errorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates one entry and builds its envelope: keys in AWS order, `id` a fresh UUID (the EventId the
 * caller gets back), `time` from `Time` or `now` at seconds precision, the caller's detail key order.
 */
export function buildEnvelope(entry: PutEventsEntry, now: Date): EntryOutcome {
  if (entry.Source === undefined || entry.Source === '') return invalid('Source', 'Source is a required argument.');
  if (entry.DetailType === undefined || entry.DetailType === '') return invalid('DetailType', 'DetailType is a required argument.');
  if (entry.DetailType.length > 128) return invalid('DetailType', 'DetailType must be at most 128 characters.');
  if (entry.Detail === undefined) return invalid('Detail', 'Detail is a required argument.');
  const resources = entry.Resources ?? [];
  if (resources.some((resource) => resource === '')) return invalid('Resources', 'Resources must not contain empty strings.');
  const time = entry.Time ?? now;
  if (Number.isNaN(time.getTime())) return invalid('Time', 'Time is not a valid timestamp.');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  if (!isJsonObject(detail)) return { ok: false, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
  return {
    ok: true,
    busName: busNameOf(entry.EventBusName),
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: eventTime(time),
      region: LOCAL_REGION,
      resources: [...resources],
      detail,
    },
  };
}

/** The event as a replay re-sends it: `replay-name` inserted between `region` and `resources`. */
export function withReplayName(event: EventEnvelope, replayName: string): EventEnvelope {
  return {
    version: event.version,
    id: event.id,
    'detail-type': event['detail-type'],
    source: event.source,
    account: event.account,
    time: event.time,
    region: event.region,
    'replay-name': replayName,
    resources: event.resources,
    detail: event.detail,
  };
}

/**
 * The envelope with its detail parsed exactly (numbers no double holds kept as their digits) when the
 * Detail text has such numbers, so rules match them as EventBridge does; undefined otherwise. Targets
 * still receive the detail as JSON.parse reads it.
 */
export function exactView(event: EventEnvelope, detailText: string | undefined): EventEnvelope | undefined {
  if (detailText === undefined || hasOnlyExactNumbers(detailText)) return undefined;
  const detail = parseEventText(detailText);
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return undefined;
  return { ...event, detail: { ...detail } };
}
