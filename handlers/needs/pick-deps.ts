import { PipelineError } from '../../contracts/pipeline-error';
import type { CatalogPort } from '../ports/catalog';
import type { StageDeps } from '../stage-deps';
import type { AlwaysGiven, CatalogReader, DepsOf, Needs, PlainPort } from '../stage-needs';
import { zoneGuardedObjects } from './zone-guard';

/** The ports a composition root can hand over: the always-given members, and any others it built. */
export type AvailablePorts = AlwaysGiven & Partial<Omit<StageDeps, keyof AlwaysGiven>>;

/** Every plain port key, in the order a missing one is reported. */
export const PLAIN_PORTS: readonly PlainPort[] = ['runs', 'jobs', 'idempotency', 'publisher', 'alerts', 'query', 'crawler', 'transform', 'inspector'];

/** A composition root that did not build a port a stage declared: a wiring defect, poison. */
export class MissingPortError extends PipelineError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/**
 * The deps a stage receives: exactly its declared ports taken from `ports` — the object store guarded
 * to its declared zones, the catalog cut to its read calls when it declared `read` — and the
 * always-given members. A declared port the root did not build throws (the inspector is optional:
 * the stage falls back without it).
 */
export function pickDeps<N extends Needs>(stage: string, needs: N, ports: AvailablePorts): DepsOf<N> {
  const picked: Record<string, unknown> = { datasets: ports.datasets, topology: ports.topology, clock: ports.clock };
  const missing: string[] = [];
  for (const key of PLAIN_PORTS) {
    if (needs[key] === undefined) continue;
    if (ports[key] !== undefined) picked[key] = ports[key];
    else if (key !== 'inspector') missing.push(key);
  }
  if (needs.zones !== undefined) {
    if (ports.objects === undefined) missing.push('objects');
    else picked.objects = zoneGuardedObjects(ports.objects, needs.zones, ports.topology, stage);
  }
  if (needs.catalog !== undefined) {
    if (ports.catalog === undefined) missing.push('catalog');
    else picked.catalog = needs.catalog === 'write' ? ports.catalog : catalogReader(ports.catalog);
  }
  if (missing.length > 0 || !isDepsOf(picked, needs)) throw new MissingPortError(`stage ${stage} declares ports its composition root did not build: ${missing.join(', ')}`);
  return picked;
}

/** True when every port `needs` declares (but the optional inspector) is a member of `deps`. */
function isDepsOf<N extends Needs>(deps: Record<string, unknown>, needs: N): deps is Record<string, unknown> & DepsOf<N> {
  const required = [...PLAIN_PORTS.filter((k) => k !== 'inspector' && needs[k] !== undefined), ...(needs.zones === undefined ? [] : ['objects']), ...(needs.catalog === undefined ? [] : ['catalog'])];
  return required.every((k) => deps[k] !== undefined);
}

/** Only the catalog's read calls, so a stage that declared `catalog: 'read'` holds no write method at run time either. */
function catalogReader(catalog: CatalogPort): CatalogReader {
  return {
    getDatabases: () => catalog.getDatabases(),
    getDatabase: (name) => catalog.getDatabase(name),
    createDatabase: (input) => catalog.createDatabase(input),
    getTables: (database) => catalog.getTables(database),
    getTable: (database, name) => catalog.getTable(database, name),
    getTableVersion: (database, name, versionId) => catalog.getTableVersion(database, name, versionId),
    getPartitions: (database, table) => catalog.getPartitions(database, table),
  };
}
