import { PipelineError } from '../../contracts/pipeline-error';
import type { ObjectLocation, ObjectStorePort } from '../ports/object-store';
import type { LakeTopology } from '../stage-deps';
import type { Zone, ZoneAccess } from '../stage-needs';

/** What one object-store call does to a zone, in the order of the access levels that allow it. */
type Effect = 'read' | 'delete' | 'write';

const ALLOWS: Readonly<Record<ZoneAccess, readonly Effect[]>> = {
  read: ['read'],
  'read-delete': ['read', 'delete'],
  write: ['read', 'delete', 'write'],
};

/**
 * A call outside a stage's declared zones: a defect of the stage's declaration (on AWS its role would
 * refuse the same call with AccessDenied), so poison, never retried.
 */
export class UndeclaredZoneAccessError extends PipelineError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/**
 * The object store as a stage that declared `zones` sees it: each call checks that the bucket is a
 * zone the stage declared, with an access that allows the call, before it reaches the store. This is
 * the local counterpart of the role's S3 grants, so a stage that touches an undeclared zone fails its
 * local tests as it would fail on AWS.
 */
export function zoneGuardedObjects(store: ObjectStorePort, zones: Readonly<Partial<Record<Zone, ZoneAccess>>>, topology: LakeTopology, stage: string): ObjectStorePort {
  const zoneOf = new Map<string, Zone>();
  for (const [zone, bucket] of Object.entries(topology.buckets)) if (isZone(zone)) zoneOf.set(bucket, zone);
  const check = (bucket: string, effect: Effect): void => {
    const zone = zoneOf.get(bucket);
    const access = zone === undefined ? undefined : zones[zone];
    if (access !== undefined && ALLOWS[access].includes(effect)) return;
    const where = zone === undefined ? `bucket ${bucket}, which is no lake zone` : `the ${zone} zone (declared: ${access ?? 'nothing'})`;
    throw new UndeclaredZoneAccessError(`stage ${stage} may not ${effect} objects in ${where}: declare it in the stage's needs`);
  };
  const from = (l: ObjectLocation, effect: Effect): void => check(l.bucket, effect);
  return {
    putObject: async (bucket, key, body) => {
      check(bucket, 'write');
      return store.putObject(bucket, key, body);
    },
    getObject: async (bucket, key) => {
      check(bucket, 'read');
      return store.getObject(bucket, key);
    },
    headObject: async (bucket, key) => {
      check(bucket, 'read');
      return store.headObject(bucket, key);
    },
    listObjects: async (bucket, prefix) => {
      check(bucket, 'read');
      return store.listObjects(bucket, prefix);
    },
    copyObject: async (source, destination) => {
      from(source, 'read');
      from(destination, 'write');
      return store.copyObject(source, destination);
    },
    deleteObject: async (bucket, key) => {
      check(bucket, 'delete');
      return store.deleteObject(bucket, key);
    },
    moveObject: async (source, destination) => {
      from(source, 'delete');
      from(destination, 'write');
      return store.moveObject(source, destination);
    },
  };
}

function isZone(value: string): value is Zone {
  return value === 'raw' || value === 'refined' || value === 'forecast' || value === 'quarantine';
}
