import type { CatalogPort } from './ports/catalog';
import type { ObjectStorePort } from './ports/object-store';
import type { StageDeps } from './stage-deps';

/** The lake zones a stage's objects (and the data its queries read or write) live in, one bucket each. */
export type Zone = 'raw' | 'refined' | 'forecast' | 'quarantine';

/**
 * What a stage may do with a zone's objects: `read` (get, head, list, copy from), `read-delete` (also
 * delete and move out: a file taken out of the raw zone), `write` (also put, copy and move into).
 */
export type ZoneAccess = 'read' | 'read-delete' | 'write';

/**
 * What a stage may do with the catalog: `read` looks tables and partitions up (and creates a missing
 * zone database, as a first crawl request does locally); `write` also creates, replaces and deletes
 * tables and partitions.
 */
export type CatalogAccess = 'read' | 'write';

/**
 * What a stage may do with the query engine: `read` runs queries (SELECT, UNLOAD: the data's zones are
 * declared in `zones`); `ddl` also lets its SQL change the catalog (`CREATE OR REPLACE VIEW`).
 */
export type QueryAccess = 'read' | 'ddl';

/**
 * The ports and access one stage needs, declared once beside its code: the composition roots hand the
 * stage only these ports, and the AWS stack derives the stage role's IAM grants from the same value.
 * The dataset store, the topology and the clock are always given (they reach no service).
 */
export interface Needs {
  /** The object-store port, limited to these zones with this access. */
  readonly zones?: Readonly<Partial<Record<Zone, ZoneAccess>>>;
  readonly catalog?: CatalogAccess;
  readonly query?: QueryAccess;
  /** Get, create and start crawlers. */
  readonly crawler?: true;
  /** Create and describe batch-transform jobs. */
  readonly transform?: true;
  /** The run store (run state, pending crawls, object ranges). */
  readonly runs?: true;
  /** The job store (refine, forecast and backfill job records); the same table as the run store on AWS. */
  readonly jobs?: true;
  readonly idempotency?: true;
  /** Publish domain events, including `StageFailed`, on our bus. */
  readonly publisher?: true;
  /** Page through the alert sink. */
  readonly alerts?: true;
  /** Read landed files as their format (a local capability; absent on AWS, where JSON lines are read). */
  readonly inspector?: true;
}

/** The catalog calls a stage that declared `catalog: 'read'` may make. */
export type CatalogReader = Pick<CatalogPort, 'getDatabases' | 'getDatabase' | 'createDatabase' | 'getTables' | 'getTable' | 'getTableVersion' | 'getPartitions'>;

/** What every stage gets whatever it declared. */
export type AlwaysGiven = Pick<StageDeps, 'datasets' | 'topology' | 'clock'>;

/** The plain ports: a declared key gives the `StageDeps` member of the same name. */
export type PlainPort = 'crawler' | 'query' | 'transform' | 'runs' | 'jobs' | 'idempotency' | 'publisher' | 'alerts' | 'inspector';

type Declared<N extends Needs> = { [K in keyof N]-?: undefined extends N[K] ? never : K }[keyof N];

/**
 * The deps a stage with needs `N` receives: the always-given members, each declared plain port, the
 * object store when it declared zones, the catalog (read calls only for `catalog: 'read'`). Nothing
 * else is a member, so using an undeclared port does not compile.
 */
export type DepsOf<N extends Needs> = AlwaysGiven &
  Pick<StageDeps, Extract<Declared<N>, PlainPort>> &
  (N extends { readonly zones: object } ? { readonly objects: ObjectStorePort } : unknown) &
  (N extends { readonly catalog: 'write' } ? { readonly catalog: CatalogPort } : N extends { readonly catalog: 'read' } ? { readonly catalog: CatalogReader } : unknown);

/**
 * Declares a stage's needs; the literal type is kept (`const` type parameter), so `DepsOf<typeof needs>`
 * names exactly the declared ports.
 */
export function declareNeeds<const N extends Needs>(needs: N): N {
  return needs;
}
