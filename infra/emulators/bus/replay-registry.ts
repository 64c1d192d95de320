import * as path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFileAtomic } from './atomic-json-file';
import { BusIllegalStatusError, BusLimitExceededError, BusResourceAlreadyExistsError, BusResourceNotFoundError } from './bus-errors';

/** Replay states, as EventBridge names them. */
export const ReplayState = {
  Starting: 'STARTING',
  Running: 'RUNNING',
  Completed: 'COMPLETED',
  Failed: 'FAILED',
  Cancelling: 'CANCELLING',
  Cancelled: 'CANCELLED',
} as const;

const ReplaySchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  archiveName: z.string(),
  eventSourceArn: z.string(),
  destinationArn: z.string(),
  filterArns: z.array(z.string()).optional(),
  eventStartTime: z.string(),
  eventEndTime: z.string(),
  state: z.enum([ReplayState.Starting, ReplayState.Running, ReplayState.Completed, ReplayState.Failed, ReplayState.Cancelling, ReplayState.Cancelled]),
  stateReason: z.string().optional(),
  replayStartTime: z.string(),
  replayEndTime: z.string().optional(),
  eventLastReplayedTime: z.string().optional(),
});
const ReplaysFileSchema = z.object({ version: z.literal(1), replays: z.array(ReplaySchema) });

/** A replay as persisted in `<home>/bus/replays.json`. */
export type Replay = z.infer<typeof ReplaySchema>;

/** Replays the bus re-sends: returns the event time of the last event re-sent, if any; stops early once `cancelled()`. */
export type ReplayRunner = (replay: Replay, cancelled: () => boolean) => Promise<string | undefined>;

const MAX_ACTIVE_REPLAYS = 10;

/**
 * The replays of the local buses and their state machine (STARTING → RUNNING → COMPLETED, or FAILED;
 * CancelReplay turns STARTING or RUNNING into CANCELLING, which ends as CANCELLED).
 * A replay interrupted by a crash is run again from the start on open: replayed events may then be
 * delivered twice, which at-least-once delivery allows (targets dedupe on the kept event id).
 */
export class ReplayRegistry {
  private readonly replays = new Map<string, Replay>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string) {}

  /** Loads the replays of `busDir`. */
  static async open(busDir: string): Promise<ReplayRegistry> {
    const registry = new ReplayRegistry(path.join(busDir, 'replays.json'));
    const raw = await readJsonFile(registry.file);
    for (const replay of raw === undefined ? [] : ReplaysFileSchema.parse(raw).replays) registry.replays.set(replay.name, replay);
    return registry;
  }

  /** Replays interrupted by a crash, to resume (a cancelled one only to record it CANCELLED). */
  interrupted(): Replay[] {
    const active: readonly string[] = [ReplayState.Starting, ReplayState.Running, ReplayState.Cancelling];
    return [...this.replays.values()].filter((replay) => active.includes(replay.state));
  }

  /** CancelReplay: only a STARTING or RUNNING replay can be cancelled; it becomes CANCELLING. */
  async cancel(name: string): Promise<Replay> {
    const replay = this.replays.get(name);
    if (replay === undefined) throw new BusResourceNotFoundError(`Replay ${name} does not exist.`);
    if (replay.state !== ReplayState.Starting && replay.state !== ReplayState.Running) {
      throw new BusIllegalStatusError(`Replay ${name} is not in a valid state for this operation.`);
    }
    const cancelling = { ...replay, state: ReplayState.Cancelling };
    await this.update(cancelling);
    return cancelling;
  }

  /** Records a new replay in STARTING; the name must be new and at most 10 replays may be active. */
  async create(replay: Replay): Promise<Replay> {
    if (this.replays.has(replay.name)) throw new BusResourceAlreadyExistsError(`Replay ${replay.name} already exists.`);
    if (this.interrupted().length >= MAX_ACTIVE_REPLAYS) throw new BusLimitExceededError();
    this.replays.set(replay.name, replay);
    await this.persist();
    return replay;
  }

  /** Runs a replay to completion with `runner` (RUNNING, then COMPLETED or FAILED), persisting each state. */
  async run(name: string, runner: ReplayRunner): Promise<void> {
    const replay = this.replays.get(name);
    if (replay === undefined) return;
    const cancelled = (): boolean => this.replays.get(name)?.state === ReplayState.Cancelling;
    if (!cancelled()) await this.update({ ...replay, state: ReplayState.Running });
    try {
      const last = cancelled() ? undefined : await runner(replay, cancelled);
      const state = cancelled() ? ReplayState.Cancelled : ReplayState.Completed;
      await this.update({ ...replay, state, replayEndTime: new Date().toISOString(), eventLastReplayedTime: last });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.update({ ...replay, state: ReplayState.Failed, stateReason: reason, replayEndTime: new Date().toISOString() });
    }
  }

  /** A replay by name. */
  get(name: string): Replay | undefined {
    return this.replays.get(name);
  }

  /** All replays, sorted by name. */
  list(): Replay[] {
    return [...this.replays.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Waits for pending writes of replays.json. */
  async flush(): Promise<void> {
    await this.writes.catch(() => undefined);
  }

  private async update(replay: Replay): Promise<void> {
    this.replays.set(replay.name, replay);
    await this.persist();
  }

  private persist(): Promise<void> {
    const write = this.writes.catch(() => undefined).then(() => writeJsonFileAtomic(this.file, { version: 1, replays: [...this.replays.values()] }));
    this.writes = write;
    return write;
  }
}
