import type { DepsOf, Needs } from '../stage-needs';
import { pickDeps, type AvailablePorts } from './pick-deps';

/**
 * A stage as the composition roots and the stack see it: its declared needs, and a runner that hands
 * its handler only those ports. The handler's own deps type is `DepsOf<N>` of the same declaration.
 */
export interface StageDefinition {
  readonly id: string;
  readonly needs: Needs;
  /** Runs the stage on one delivered event with its declared ports taken from `ports`; throws to ask for a retry. */
  run(event: unknown, ports: AvailablePorts): Promise<void>;
}

/** Binds a stage's handler to its declaration. */
export function defineStage<const N extends Needs>(id: string, needs: N, handler: (event: unknown, deps: DepsOf<N>) => Promise<void>): StageDefinition {
  return { id, needs, run: (event, ports) => handler(event, pickDeps(id, needs, ports)) };
}
