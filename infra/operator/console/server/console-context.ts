import type { RunStore } from '../../../../handlers/ports/run-store';
import type { EmbeddedRuntime } from '../../../local/runtime/embedded-runtime';
import { RuleActivity } from '../../read-side/rule-activity';

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
}

/** The context of a console served by `up` in the same process as the pipeline. */
export function consoleContext(runtime: EmbeddedRuntime): ConsoleContext {
  return { home: runtime.home, runtime, runs: runtime.deps.runs, activity: new RuleActivity(runtime.home) };
}
