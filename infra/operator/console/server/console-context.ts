import type { RunStore } from '../../../../handlers/ports/run-store';
import type { EmbeddedRuntime } from '../../../local/runtime/embedded-runtime';
import { RuleActivity } from '../../read-side/rule-activity';
import { RunListCache } from '../../read-side/run-list-cache';

/**
 * What read-only routes need, which the deployed stack can also give (`tributary console --aws`):
 * where the data is, the run store and its in-memory run list.
 */
export interface ReadContext {
  /** The home served, or `aws:<prefix>` for the deployed stack. */
  readonly home: string;
  readonly runs: RunStore;
  /** Every run, newest first, re-read at most every 2 s (a page of 10,000 runs is a filter over it). */
  readonly runList: RunListCache;
}

/**
 * What every API handler of the console `up` serves reads from: the read context plus the running
 * pipeline (bus, deps) and the bus's per-rule activity. Grow it here (one field per shared reader)
 * rather than opening stores inside handlers.
 */
export interface ConsoleContext extends ReadContext {
  readonly runtime: EmbeddedRuntime;
  readonly activity: RuleActivity;
}

/** The context of a console served by `up` in the same process as the pipeline; starts reading the run list. */
export function consoleContext(runtime: EmbeddedRuntime): ConsoleContext {
  const runList = new RunListCache(runtime.deps.runs);
  runList.warm();
  return { home: runtime.home, runtime, runs: runtime.deps.runs, activity: new RuleActivity(runtime.home), runList };
}
