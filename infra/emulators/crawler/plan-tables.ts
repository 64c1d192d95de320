import { disambiguatedTableName, glueTableName } from './glue-table-name';
import type { ObjectSchema } from './infer-object-schema';

/** A data file the classifier accepted. */
export interface ClassifiedObject {
  readonly rel: string;
  readonly size: number;
  readonly schema: ObjectSchema;
}

/** One partition of a planned table: its values (one per key) and its folder below the target. */
export interface PartitionPlan {
  readonly values: readonly string[];
  readonly rel: string;
  readonly objects: readonly ClassifiedObject[];
}

/** One table the crawl found: its root folder below the target, partition keys and partitions. */
export interface TablePlan {
  readonly name: string;
  /** Folder of the table root below the target (`''` = the target itself); a file path for a lone-file table. */
  readonly rootRel: string;
  readonly partitionKeys: readonly string[];
  readonly partitions: readonly PartitionPlan[];
  readonly objects: readonly ClassifiedObject[];
}

/** How to group: the target's own name, the crawler's TablePrefix and its grouping policy. */
export interface PlanOptions {
  readonly rootName: string;
  readonly prefix?: string;
  /** `Grouping.TableGroupingPolicy = CombineCompatibleSchemas`: skip the similarity test. */
  readonly combineCompatible?: boolean;
  /**
   * `Grouping.TableLevelConfiguration`, made relative to the target: the number of folder levels
   * below the target at which every table root sits (0 = the target itself). See `planTables`.
   */
  readonly tableDepth?: number;
  /**
   * Partition levels of tables that already exist and keep their keys (a crawl under
   * `UpdateBehavior: LOG` leaves a table alone but still adds its new partitions), by table root.
   */
  readonly keptDepths?: ReadonlyMap<string, number>;
}

const SIMILARITY = 0.7;
const MAX_CLUSTERS = 5;

/**
 * Groups classified files into tables the way Glue does for one include path. A folder is a table
 * root when all data below it sits at the same depth, in one format and compression, and the leaf
 * folders' schemas are similar (more than 70 % of the leaves in one schema cluster, at most 5
 * clusters; a leaf whose columns are a subset or superset of another's counts as similar). The
 * levels below a root become partition keys: `k=v` folders give key `k`, others `partition_<i>`.
 * Otherwise each child folder is tried as a root of its own, and files lying next to folders become
 * one table each, named after the file (Glue's "extra tables" for marker files).
 *
 * With a table level (`tableDepth`), the similarity and depth tests are skipped: each folder at that
 * level is one table of everything below it (`forcedTableAt`), as Glue's `TableLevelConfiguration`
 * forces the table location; files above that level still become tables of their own.
 */
export function planTables(objects: readonly ClassifiedObject[], options: PlanOptions): TablePlan[] {
  const prefix = options.prefix ?? '';
  const plans: TablePlan[] = [];
  const resolve = (rootRel: string, name: string, objs: readonly ClassifiedObject[]): void => {
    if (objs.length === 0) return;
    const level = rootRel === '' ? 0 : rootRel.split('/').length;
    if (options.tableDepth !== undefined && level === options.tableDepth) {
      plans.push(forcedTableAt(rootRel, glueTableName(name, prefix), objs, options.keptDepths?.get(rootRel)));
      return;
    }
    if (options.tableDepth === undefined && isOneTable(rootRel, objs, options.combineCompatible === true)) {
      plans.push(tableAt(rootRel, glueTableName(name, prefix), objs));
      return;
    }
    const children = new Map<string, ClassifiedObject[]>();
    for (const o of objs) {
      const rest = relBelow(rootRel, o.rel);
      const slash = rest.indexOf('/');
      if (slash < 0) plans.push(tableAt(o.rel, glueTableName(rest, prefix), [o]));
      else pushTo(children, rest.slice(0, slash), o);
    }
    for (const [child, list] of children) resolve(joinRel(rootRel, child), child, list);
  };
  resolve('', options.rootName, objects);
  const seen = new Set<string>();
  return plans.map((p) => {
    const name = seen.has(p.name) ? disambiguatedTableName(p.name, p.rootRel) : p.name;
    seen.add(name);
    return { ...p, name };
  });
}

/**
 * A table whose root the crawler's `TableLevelConfiguration` fixes: every file below it belongs to
 * it, whatever its depth or schema. Its partition keys are the folder levels every file has (the
 * shallowest file's depth), or `keptDepth` levels when the table exists and keeps its keys; a file
 * deeper than that belongs to the partition of its folder at that depth (queries read a partition's
 * folder recursively); a file shallower than the kept keys is in no partition, so no query sees it
 * (the crawl reports it: `objectsOutsidePartitions`).
 */
function forcedTableAt(rootRel: string, name: string, objs: readonly ClassifiedObject[], keptDepth: number | undefined): TablePlan {
  return partitionedTable(rootRel, name, objs, keptDepth ?? objs.reduce((min, o) => Math.min(min, depthBelow(rootRel, o)), Infinity));
}

/** How many folders lie between a table root and an object. */
function depthBelow(rootRel: string, o: ClassifiedObject): number {
  return relBelow(rootRel, o.rel).split('/').length - 1;
}

/**
 * A table at `rootRel` with `depth` partition levels: each object belongs to the partition of its
 * folder at that depth (objects shallower than it to none); `k=v` levels give key `k`.
 */
function partitionedTable(rootRel: string, name: string, objs: readonly ClassifiedObject[], depth: number): TablePlan {
  if (depth === 0) return { name, rootRel, partitionKeys: [], partitions: [], objects: objs };
  const folders = new Map<string, ClassifiedObject[]>();
  for (const o of objs) if (depthBelow(rootRel, o) >= depth) pushTo(folders, joinRel(rootRel, relBelow(rootRel, o.rel).split('/').slice(0, depth).join('/')), o);
  const segmentsOf = (folder: string) => relBelow(rootRel, folder).split('/');
  const levels = [...folders.keys()].map(segmentsOf);
  const partitionKeys = Array.from({ length: depth }, (_, i) => keyOfLevel(levels.map((s) => s[i] ?? ''), i));
  const partitions = [...folders.entries()].map(([rel, list]) => ({
    rel,
    objects: list,
    values: segmentsOf(rel).map((seg, i) => (partitionKeys[i] === `partition_${i}` ? seg : seg.slice(seg.indexOf('=') + 1))),
  }));
  return { name, rootRel, partitionKeys, partitions, objects: objs };
}

/** The objects of a plan that lie in none of its partitions (always none for an unpartitioned table). */
export function objectsOutsidePartitions(plan: TablePlan): ClassifiedObject[] {
  if (plan.partitionKeys.length === 0) return [];
  const inside = new Set(plan.partitions.flatMap((p) => p.objects));
  return plan.objects.filter((o) => !inside.has(o));
}

function isOneTable(rootRel: string, objs: readonly ClassifiedObject[], combineCompatible: boolean): boolean {
  const depths = new Set(objs.map((o) => relBelow(rootRel, o.rel).split('/').length));
  const formats = new Set(objs.map((o) => formatKey(o.schema)));
  if (depths.size !== 1 || formats.size !== 1) return false;
  if (combineCompatible) return true;
  const leaves = new Map<string, Set<string>>();
  for (const o of objs) {
    const folder = parentOf(o.rel);
    const names = leaves.get(folder) ?? new Set<string>();
    for (const c of o.schema.columns) names.add(c.name);
    leaves.set(folder, names);
  }
  const clusters: { rep: Set<string>; size: number }[] = [];
  for (const names of leaves.values()) {
    const hit = clusters.find((c) => similar(c.rep, names));
    if (hit) hit.size++;
    else clusters.push({ rep: names, size: 1 });
  }
  const largest = Math.max(...clusters.map((c) => c.size));
  return clusters.length === 1 || (clusters.length <= MAX_CLUSTERS && largest / leaves.size > SIMILARITY);
}

function similar(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const shared = [...a].filter((n) => b.has(n)).length;
  if (shared === a.size || shared === b.size) return true;
  return shared / (a.size + b.size - shared) >= SIMILARITY;
}

function tableAt(rootRel: string, name: string, objs: readonly ClassifiedObject[]): TablePlan {
  return partitionedTable(rootRel, name, objs, objs[0] === undefined ? 0 : depthBelow(rootRel, objs[0]));
}

/** `k` when every folder at this level is `k=<value>` with the same k, else `partition_<level>`. */
function keyOfLevel(segments: readonly string[], level: number): string {
  const keys = new Set(segments.map((s) => (s.indexOf('=') > 0 ? s.slice(0, s.indexOf('=')).toLowerCase() : '')));
  const [only] = [...keys];
  return keys.size === 1 && only !== undefined && only !== '' ? only : `partition_${level}`;
}

function formatKey(s: ObjectSchema): string {
  return `${s.classification}|${s.compressionType}|${s.csv?.delimiter ?? ''}`;
}

function relBelow(rootRel: string, rel: string): string {
  return rootRel === '' ? rel : rel.slice(rootRel.length + 1);
}

function joinRel(a: string, b: string): string {
  return a === '' ? b : `${a}/${b}`;
}

function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
