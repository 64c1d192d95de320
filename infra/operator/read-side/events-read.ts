import * as path from 'node:path';
import { z } from 'zod';
import { EventEnvelopeSchema, type EventEnvelope } from '../../../contracts/envelope';
import { PipelineError } from '../../../contracts/pipeline-error';
import { compilePattern, InvalidEventPatternError, patternIndexKeys } from '../../../events/pattern';
import { ruleTable } from '../../../events/rules';
import { localTopologyNames } from '../../../events/topology-names';
import { archiveArn, busArn, ruleArn } from '../../emulators/bus/bus-arns';
import { SegmentedLog } from '../../emulators/bus/segmented-log';
import { LOCAL_ARCHIVE } from '../../local/runtime/embedded-runtime';

const ArchiveRecordSchema = z.object({ at: z.number(), ev: EventEnvelopeSchema });

/** An event filter: a compiled EventBridge pattern, or EventBridge's reason why the text is not one. */
export type EventFilter = { readonly ok: true; readonly matches: (event: EventEnvelope) => boolean } | { readonly ok: false; readonly reason: string; readonly message: string };

/**
 * Compiles the text of a pattern box with the bus's own pattern engine; blank text matches every
 * event. An invalid pattern is not thrown: the reason comes back verbatim as EventBridge words it.
 */
export function compileEventFilter(text: string | undefined): EventFilter {
  if (text === undefined || text.trim() === '') return { ok: true, matches: () => true };
  try {
    const matches = compilePattern(text);
    return { ok: true, matches: (event) => matches(event) };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}

/** One archived event with its position in the archive (1 = oldest) and its ingestion time. */
export interface ArchivedEvent {
  readonly position: number;
  readonly ingestedAt: string;
  readonly event: EventEnvelope;
}

/** A page of the archive, newest first; `before` is the cursor of the next (older) page, absent on the last. */
export interface EventPage {
  readonly events: readonly ArchivedEvent[];
  readonly scanned: number;
  readonly before?: number;
}

/** The folder of the home's archive of every event of the pipeline's bus. */
export function archiveDir(home: string): string {
  return path.join(home, 'bus', 'archives', LOCAL_ARCHIVE);
}

/** Calls `onEvent` with every archived event of the home, oldest first (works whether or not `up` runs). */
export async function readArchive(home: string, onEvent: (event: ArchivedEvent) => void): Promise<void> {
  let position = 0;
  await SegmentedLog.read(archiveDir(home), (raw) => {
    const record = ArchiveRecordSchema.safeParse(raw);
    if (!record.success) return;
    position += 1;
    onEvent({ position, ingestedAt: new Date(record.data.at).toISOString(), event: record.data.ev });
  });
}

/**
 * A page of the events the bus archived, newest first: at most `limit` events matching `filter`
 * whose position is below `before` (all when absent). Paging happens here, so a client holds one
 * page however long the history is.
 */
export async function readEventPage(home: string, options: { readonly filter?: EventFilter; readonly before?: number; readonly limit: number }): Promise<EventPage> {
  const filter = options.filter ?? compileEventFilter(undefined);
  if (!filter.ok) throw new PipelineError(filter.message, { retryable: false });
  const before = options.before ?? Number.POSITIVE_INFINITY;
  const matching: ArchivedEvent[] = [];
  let scanned = 0;
  await readArchive(home, (archived) => {
    scanned += 1;
    if (archived.position < before && filter.matches(archived.event)) matching.push(archived);
  });
  const events = matching.slice(-options.limit).reverse();
  const oldest = events[events.length - 1];
  return { events, scanned, ...(matching.length > options.limit && oldest ? { before: oldest.position } : {}) };
}

/** What a replay of the archive takes: a time window of event times and the rules it goes to. */
export interface ReplayWindow {
  readonly from: Date;
  readonly to: Date;
  /** Rule ids of `events/rules.ts`; empty with no detail-types = every rule. */
  readonly rules?: readonly string[];
  /** Every rule that subscribes to one of these detail-types receives the replay too. */
  readonly detailTypes?: readonly string[];
}

/** StartReplay's input for the local archive, as the local bus takes it. */
export interface LocalReplayInput {
  readonly ReplayName: string;
  readonly EventSourceArn: string;
  readonly EventStartTime: Date;
  readonly EventEndTime: Date;
  readonly Destination: { readonly Arn: string; readonly FilterArns?: string[] };
}

/** The ids of the pipeline's rules (`events/rules.ts`), which a replay may be narrowed to. */
export function replayableRules(): string[] {
  return ruleTable(localTopologyNames).map((row) => row.id);
}

/** Parses an ISO-8601 time, naming the field when it is not one. */
export function parseReplayTime(name: string, text: string): Date {
  const d = new Date(text);
  if (text.trim() === '' || Number.isNaN(d.getTime())) throw new PipelineError(`${name} must be an ISO-8601 time such as 2026-01-05T00:00:00Z, got ${JSON.stringify(text)}`, { retryable: false });
  return d;
}

/**
 * The rules a replay window goes to: those named (each must be a rule of the table) plus every rule
 * subscribing to one of the detail-types; throws when detail-types are given and no rule takes them.
 */
export function replayRules(window: Pick<ReplayWindow, 'rules' | 'detailTypes'>): string[] {
  const known = ruleTable(localTopologyNames);
  const rules = new Set<string>();
  for (const rule of window.rules ?? []) {
    if (!known.some((row) => row.id === rule)) throw new PipelineError(`no rule ${JSON.stringify(rule)}; rules: ${known.map((row) => row.id).join(', ')}`, { retryable: false });
    rules.add(rule);
  }
  for (const row of known) {
    const types = patternIndexKeys(row.pattern).detailTypes;
    if (window.detailTypes?.some((t) => types?.includes(t))) rules.add(row.id);
  }
  if (window.detailTypes && window.detailTypes.length > 0 && rules.size === 0) throw new PipelineError(`no rule subscribes to ${window.detailTypes.join(', ')}`, { retryable: false });
  return [...rules];
}

/** The StartReplay input that replays `window` of the local archive to the pipeline's bus (named `name`). */
export function localReplayInput(name: string, window: ReplayWindow): LocalReplayInput {
  if (!(window.from.getTime() < window.to.getTime())) throw new PipelineError(`the replay window must end after it starts, got ${window.from.toISOString()} .. ${window.to.toISOString()}`, { retryable: false });
  const bus = localTopologyNames.busName;
  const rules = replayRules(window);
  return {
    ReplayName: name,
    EventSourceArn: archiveArn(LOCAL_ARCHIVE),
    EventStartTime: window.from,
    EventEndTime: window.to,
    Destination: { Arn: busArn(bus), ...(rules.length > 0 ? { FilterArns: rules.map((r) => ruleArn(bus, r)) } : {}) },
  };
}
