import type { EventEnvelope } from '../../../contracts/envelope';
import type { ArchiveRegistry } from './archive-registry';
import { withReplayName } from './put-events-entries';
import type { Replay } from './replay-registry';

/** The events a replay re-sends, and the event time of the latest of them. */
export interface ReplayBatch {
  readonly bus: string;
  readonly events: EventEnvelope[];
  readonly filterArns?: ReadonlySet<string>;
  readonly lastEventTime?: string;
}

/**
 * Reads the archive events of a replay: those whose event `time` lies in the half-open window
 * [EventStartTime, EventEndTime), in archive order, each with `replay-name` added and its original
 * `id` and `time` kept.
 */
export async function readReplayWindow(archives: ArchiveRegistry, replay: Replay): Promise<ReplayBatch> {
  const archive = archives.get(replay.archiveName);
  if (archive === undefined) throw new Error(`Archive ${replay.archiveName} does not exist.`);
  const start = Date.parse(replay.eventStartTime);
  const end = Date.parse(replay.eventEndTime);
  const events: EventEnvelope[] = [];
  let last: number | undefined;
  await archives.read(archive, (event) => {
    const time = Date.parse(event.time);
    if (!(time >= start && time < end)) return;
    last = last === undefined ? time : Math.max(last, time);
    events.push(withReplayName(event, replay.name));
  });
  return {
    bus: archive.bus,
    events,
    filterArns: replay.filterArns === undefined ? undefined : new Set(replay.filterArns),
    lastEventTime: last === undefined ? undefined : new Date(last).toISOString(),
  };
}
