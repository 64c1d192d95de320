import type { JsonValue } from '../../handlers/ports/idempotency';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { settle } from './pipeline-harness';

/** A stage whose deliveries are held: how to find the generation of the job a held event finishes. */
export interface HeldStage {
  /** The stage id (`announce-refined`, `announce-forecast`). */
  readonly stage: string;
  /** The generation of the job the event ends (undefined sorts last, i.e. runs first). */
  generationOf(event: Record<string, unknown>): Promise<string | undefined>;
}

/** A stage handler as the bus calls it. */
type Handler = (event: Record<string, unknown>) => Promise<void>;

/** How long a stuck pipeline may take to be quiescent: a bound on a hang, not a speed requirement. */
const SETTLE_MS = 600_000;

/** Retries of a released delivery that fails retryably (the bus would retry it too). */
const RELEASE_ATTEMPTS = 8;

/**
 * Holds every delivery of some announce stages until the test releases them, then runs each stage's
 * held deliveries newest job first. So every older job's swap lands after every newer job's — the
 * interleaving that on a loaded machine happens only by chance — at a point the test chooses, not
 * when the machine is slow. `wrap` composes with other per-stage wrappers (counting deliveries).
 */
export class NewestFirst {
  private readonly held = new Map<string, Array<{ event: Record<string, unknown>; run: Handler }>>();
  /** Per stage, how many jobs were announced after a newer job of the same release (so the forced order happened). */
  readonly lateOlderJobs = new Map<string, number>();

  constructor(private readonly stages: readonly HeldStage[]) {}

  /** The handler to register for `stage`: held if the stage is held, else `run` itself. */
  wrap(stage: string, run: Handler): Handler {
    if (!this.stages.some((s) => s.stage === stage)) return run;
    return async (event) => {
      const list = this.held.get(stage) ?? [];
      list.push({ event, run });
      this.held.set(stage, list);
    };
  }

  /**
   * Waits until the pipeline is quiescent, releases what the given stages hold (stage by stage in the
   * order given, newest job first), and repeats until a quiescent pipeline holds nothing of theirs.
   */
  async settle(rt: EmbeddedRuntime, stages: readonly string[] = this.stages.map((s) => s.stage)): Promise<void> {
    // Held deliveries are invisible to quiescence: the watchdog judges the runs only once nothing is held.
    for (;;) {
      await settle(rt, SETTLE_MS, { failStalled: false });
      if ((await this.release(stages)) === 0) break;
    }
    if (this.holding() === 0) await settle(rt, SETTLE_MS);
  }

  /** How many deliveries are held right now. */
  holding(): number {
    return [...this.held.values()].reduce((n, list) => n + list.length, 0);
  }

  private async release(stages: readonly string[]): Promise<number> {
    let released = 0;
    for (const stage of this.stages.filter((s) => stages.includes(s.stage))) {
      const batch = this.held.get(stage.stage) ?? [];
      this.held.set(stage.stage, []);
      const ordered = await Promise.all(batch.map(async (h, i) => ({ ...h, i, generation: await stage.generationOf(h.event) })));
      // Newest generation first; a stable order among equals (duplicates of one event).
      ordered.sort((a, b) => (b.generation ?? '').localeCompare(a.generation ?? '') || a.i - b.i);
      for (const h of ordered) await runWithRetries(h.run, h.event);
      const jobs = new Set(ordered.map((h) => h.generation)).size;
      this.lateOlderJobs.set(stage.stage, (this.lateOlderJobs.get(stage.stage) ?? 0) + Math.max(0, jobs - 1));
      released += batch.length;
    }
    return released;
  }
}

async function runWithRetries(run: Handler, event: Record<string, unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run(event);
      return;
    } catch (err) {
      if (attempt >= RELEASE_ATTEMPTS) throw err;
    }
  }
}

/** The string at `path` in a JSON-ish value, if there is one. */
export function stringAt(value: unknown, ...path: string[]): string | undefined {
  let at: unknown = value;
  for (const key of path) at = typeof at === 'object' && at !== null && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'string' ? at : undefined;
}

/** The generation of a job record, if it has one. */
export function generationOfRecord(record: { readonly [key: string]: JsonValue } | undefined): string | undefined {
  const generation = record?.['generation'];
  return typeof generation === 'string' ? generation : undefined;
}
