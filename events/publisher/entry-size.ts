import type { PutEventsEntry } from '../put-events';

/** Bytes EventBridge counts for an entry's `Time`, when it is set (docs: eb-putevent-size). */
const TIME_BYTES = 14;

/**
 * The size of a PutEvents entry as EventBridge computes it against the request limit: 14 bytes if
 * `Time` is set, plus the UTF-8 bytes of `Source`, `DetailType`, `Detail` and every `Resources` string.
 * It is not the size of the final JSON event, and `EventBusName`/`TraceHeader` do not count.
 */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  let size = entry.Time === undefined ? 0 : TIME_BYTES;
  size += utf8Bytes(entry.Source) + utf8Bytes(entry.DetailType) + utf8Bytes(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8Bytes(resource);
  return size;
}

function utf8Bytes(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}
