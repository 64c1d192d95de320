import type { RunStore } from '../../../../handlers/ports/run-store';
import type { EmbeddedRuntime } from '../../../local/runtime/embedded-runtime';
import { RuleActivity } from '../../read-side/rule-activity';
import { RunListCache } from '../../read-side/run-list-cache';

/**
 * What every API handler reads from: the home, the running pipeline (bus, deps), its run store and
 * the bus's per-rule activity. Grow it here (one field per shared reader) rather than opening stores
 * inside handlers.
 */
export interface ConsoleContext {
  readonly home: string;
  readonly runtime: EmbeddedRuntime;
  readonly runs: RunStore;
  readonly activity: RuleActivity;
  /** Every run, newest first, re-read at most every 2 s (a page of 10,000 runs is a filter over it). */
  readonly runList: RunListCache;
}

/** The context of a console served by `up` in the same process as the pipeline; starts reading the run list. */
export function consoleContext(runtime: EmbeddedRuntime): ConsoleContext {
  const runList = new RunListCache(runtime.deps.runs);
  runList.warm();
  return { home: runtime.home, runtime, runs: runtime.deps.runs, activity: new RuleActivity(runtime.home), runList };
}
