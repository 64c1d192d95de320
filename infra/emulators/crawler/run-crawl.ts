import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CrawlerInput } from '../../../handlers/ports/crawler';
import { DeleteBehavior, LastCrawlStatus, UpdateBehavior } from '../../../handlers/ports/crawler';
import { localPathOfUri, parseS3Uri } from '../../local/lake-paths';
import { isGone } from '../object-store/walk-files';
import { applyPlans, type CrawlerCatalog, type LocatedPlan } from './apply-plans';
import { parseCrawlerConfiguration } from './crawler-configuration';
import { failedCrawlReport, type CrawlCounters, type CrawlReport, type UnreadableObject } from './crawl-report';
import { inferObjectSchema, type InferenceOptions, type ObjectInference } from './infer-object-schema';
import { inferParquetBatch } from './infer-parquet-batch';
import { csvClassifierNamed, JSON_ARRAY_CLASSIFIER } from '../../../handlers/stage-kit/crawler-configuration';
import { changedFolders, compareKeys, crawlFingerprint, folderOf, type CrawlManifest, type ManifestEntry } from './crawl-manifest';
import type { ObjectEvent } from './crawler-event-queue';
import { listObjects, type ListScope } from './list-objects';
import { objectsOutsidePartitions, planTables, type ClassifiedObject } from './plan-tables';
import { crashPoint } from '../../local/runtime/crash-point';

/** What a run needs: a DuckDB connection for inference, the catalog, the Tributary home. */
export interface CrawlDeps {
  readonly conn: DuckDBConnection;
  readonly catalog: CrawlerCatalog;
  readonly home: string;
  readonly cache?: InferenceCache;
}

/** Verdicts of earlier runs by file path, reused while size and mtime are unchanged (recrawls stay cheap). */
export type InferenceCache = Map<string, { readonly size: number; readonly mtimeMs: number; readonly verdict: ObjectInference }>;

/**
 * What a run of a crawler in `CRAWL_EVENT_MODE` starts from: the object events it received and the
 * manifest its last successful run left (absent: the run lists everything, as Glue's first run does).
 * `keep` receives this run's manifest once the catalog holds its outcome.
 */
export interface CrawlScope {
  readonly events: readonly ObjectEvent[];
  readonly previous?: CrawlManifest;
  readonly keep?: (manifest: CrawlManifest) => void;
}

/** What a run read: how many folders it listed, files it listed and files it opened to classify. */
interface ReadTally {
  mode: 'full' | 'events';
  folders: number;
  objects: number;
  inferred: number;
}

/** A crawl that cannot complete (missing database, bad target, table threshold exceeded). */
export class CrawlFailedError extends Error {
  override readonly name = 'CrawlFailedError';
}

/**
 * Runs one crawl to completion and reports it; never rejects: a failure becomes a FAILED report
 * with the error message (what the Failed event carries). Steps: list each S3 target's files,
 * classify and infer each with DuckDB (unreadable ones are reported and skipped), group them into
 * tables and partitions, check `TableThreshold` before writing anything, write the catalog, then
 * apply DeleteBehavior to this crawler's tables whose data is gone.
 */
export async function runCrawl(deps: CrawlDeps, crawler: CrawlerInput, runId: string, startTime: string, scope?: CrawlScope): Promise<CrawlReport> {
  const counters: CrawlCounters = { tablesCreated: 0, tablesUpdated: 0, tablesDeleted: 0, partitionsCreated: 0, partitionsUpdated: 0, partitionsDeleted: 0 };
  const unreadableObjects: UnreadableObject[] = [];
  const outsideWarnings: string[] = [];
  const reads: ReadTally = { mode: 'full', folders: 0, objects: 0, inferred: 0 };
  const base = { crawlerName: crawler.Name, runId, startTime, counters, unreadableObjects, reads };
  const eventMode = crawler.RecrawlPolicy?.RecrawlBehavior === 'CRAWL_EVENT_MODE';
  const fingerprint = crawlFingerprint(crawler);
  const manifests: CrawlManifest[] = [];
  try {
    const options = parseCrawlerConfiguration(crawler.Configuration);
    if (!(await deps.catalog.getDatabase(crawler.DatabaseName))) throw new CrawlFailedError(`Database ${crawler.DatabaseName} not found.`);
    const located: LocatedPlan[] = [];
    const listed = new Set<string>();
    for (const target of crawler.Targets.S3Targets) {
      const root = withSlash(target.Path);
      let dir: string;
      try {
        dir = localPathOfUri(deps.home, root);
      } catch (err) {
        throw new CrawlFailedError(`S3 target ${target.Path} is not in the local lake: ${err instanceof Error ? err.message : String(err)}`);
      }
      const classifiers = classifierOptions(crawler.Classifiers ?? []);
      const previous = eventMode && scope?.previous?.fingerprint === fingerprint && scope.previous.root === root ? scope.previous : undefined;
      const found = previous ? await classifyChanged(deps, dir, target.Exclusions, root, previous, changedFolders(scope?.events ?? [], root), reads, classifiers) : await classifyTarget(deps, dir, target.Exclusions, root, reads, classifiers);
      if (eventMode) manifests.push({ fingerprint, runId, root, entries: found.entries });
      for (const file of found.files) listed.add(file);
      unreadableObjects.push(...found.unreadable);
      const tableDepth = options.tableLevel === undefined ? undefined : Math.max(0, options.tableLevel - keyDepthOf(root));
      const keepKeys = (crawler.SchemaChangePolicy?.UpdateBehavior ?? UpdateBehavior.UpdateInDatabase) !== UpdateBehavior.UpdateInDatabase;
      const keptDepths = tableDepth !== undefined && keepKeys ? await partitionDepthsOf(deps.catalog, crawler, root) : undefined;
      const plans = planTables(found.classified, {
        rootName: rootNameOf(root),
        prefix: crawler.TablePrefix,
        combineCompatible: options.combineCompatible,
        ...(tableDepth !== undefined ? { tableDepth } : {}),
        ...(keptDepths ? { keptDepths } : {}),
      });
      for (const plan of plans) {
        for (const outside of objectsOutsidePartitions(plan)) outsideWarnings.push(`${root}${outside.rel} lies in no partition of table ${plan.name} (partition keys ${plan.partitionKeys.join(', ')}), so no query reads it`);
        const lone = plan.objects.length === 1 && plan.objects[0]?.rel === plan.rootRel;
        located.push({ plan, location: plan.rootRel === '' ? root : root + plan.rootRel + (lone ? '' : '/'), partitionLocation: (rel) => `${root}${rel}/` });
      }
    }
    for (const file of deps.cache?.keys() ?? []) if (!listed.has(file)) deps.cache?.delete(file);
    if (options.tableThreshold !== undefined && located.length > options.tableThreshold) {
      throw new CrawlFailedError(`The crawl would create ${located.length} tables, more than TableThreshold ${options.tableThreshold}; nothing was written.`);
    }
    const policy = {
      crawlerName: crawler.Name,
      runId,
      database: crawler.DatabaseName,
      updateBehavior: crawler.SchemaChangePolicy?.UpdateBehavior ?? UpdateBehavior.UpdateInDatabase,
      deleteBehavior: crawler.SchemaChangePolicy?.DeleteBehavior ?? DeleteBehavior.DeprecateInDatabase,
      mergeNewColumns: options.mergeNewColumns,
      inheritFromTable: options.inheritFromTable,
    };
    const applied = await applyPlans(deps.catalog, located, policy, counters);
    crashPoint('crawl-written', crawler.Name);
    const tables = located.map((l) => l.plan.name);
    await retireVanishedTables(deps.catalog, crawler, new Set(tables), policy.deleteBehavior, counters);
    // Glue's event mode takes one target; the manifest is that target's.
    const [manifest] = manifests;
    if (manifest !== undefined && manifests.length === 1) scope?.keep?.(manifest);
    return { ...base, status: LastCrawlStatus.Succeeded, completionDate: new Date().toISOString(), tables, schemaChanges: applied.changes, warnings: [...outsideWarnings, ...applied.warnings] };
  } catch (err) {
    return { ...failedCrawlReport(crawler.Name, runId, startTime, err instanceof Error ? err.message : String(err), unreadableObjects), reads };
  }
}

/** What a crawler's custom classifiers tell the classification: JSON arrays, a CSV dialect (the first named). */
function classifierOptions(names: readonly string[]): InferenceOptions {
  const csv = names.map(csvClassifierNamed).find((c) => c !== undefined);
  return { jsonArrays: names.includes(JSON_ARRAY_CLASSIFIER.Name), ...(csv ? { csv: { header: csv.ContainsHeader === 'PRESENT', delimiter: csv.Delimiter, quote: csv.QuoteSymbol } } : {}) };
}

/** Listing passes over one target while objects vanish under the crawl. */
const TARGET_PASSES = 3;

/** What a target's listing found: every file with its verdict, and the same split for planning. */
interface ClassifiedTarget {
  readonly classified: ClassifiedObject[];
  readonly unreadable: UnreadableObject[];
  readonly files: string[];
  readonly entries: ManifestEntry[];
}

/** Lists a whole target and classifies each file (see `listVerdicts`). */
async function classifyTarget(deps: CrawlDeps, dir: string, exclusions: readonly string[] | undefined, root: string, reads: ReadTally, classifiers: InferenceOptions): Promise<ClassifiedTarget> {
  const entries = await listVerdicts(deps, dir, exclusions, [{}], reads, classifiers);
  reads.folders += new Set(entries.map((e) => folderOf(e.rel))).size;
  return splitEntries(entries, root);
}

/**
 * An event-mode run: the last run's manifest, with the folders the events name listed afresh (only
 * those folders, not their subfolders: an event names its object's own folder). A manifest file that
 * is gone or changed without an event (moved out of the zone) makes its folder one to list too, so
 * the files planned are exactly those a full listing would find.
 */
async function classifyChanged(deps: CrawlDeps, dir: string, exclusions: readonly string[] | undefined, root: string, previous: CrawlManifest, changed: ReadonlySet<string>, reads: ReadTally, classifiers: InferenceOptions): Promise<ClassifiedTarget> {
  reads.mode = 'events';
  const folders = new Set(changed);
  for (const e of previous.entries) {
    if (folders.has(folderOf(e.rel))) continue;
    const now = await stat(e.file).catch((err: unknown) => (isGone(err) ? undefined : Promise.reject(err)));
    if (now === undefined || now.size !== e.size || now.mtimeMs !== e.mtimeMs) folders.add(folderOf(e.rel));
  }
  const kept = previous.entries.filter((e) => !folders.has(folderOf(e.rel)));
  const fresh = await listVerdicts(deps, dir, exclusions, [...folders].sort(compareKeys).map((below) => ({ below, recursive: false })), reads, classifiers);
  reads.folders += folders.size;
  return splitEntries([...kept, ...fresh].sort((a, b) => compareKeys(a.rel, b.rel)), root);
}

/**
 * Lists the given parts of a target and classifies each file (cached verdicts reused). An object
 * deleted after it was listed is not part of the crawl, as with Glue: a partition swap replaces files
 * while crawls run. A swap moves the new files in before it deletes the old ones, so the listing is
 * repeated (up to 3 passes) and such a partition is seen with its new files rather than as empty,
 * which would drop it.
 */
async function listVerdicts(deps: CrawlDeps, dir: string, exclusions: readonly string[] | undefined, scopes: readonly ListScope[], reads: ReadTally, classifiers: InferenceOptions): Promise<ManifestEntry[]> {
  for (let pass = 1; ; pass++) {
    const entries: ManifestEntry[] = [];
    let vanished = false;
    for (const listScope of scopes) {
      const listed = await listObjects(dir, exclusions, listScope);
      const cachedVerdict = (obj: (typeof listed)[number]): ObjectInference | undefined => {
        const cached = deps.cache?.get(obj.file);
        return cached && cached.size === obj.size && cached.mtimeMs === obj.mtimeMs ? cached.verdict : undefined;
      };
      // Parquet files new to this crawler are read together (a few queries, not two per file).
      const batch = await inferParquetBatch(deps.conn, listed.filter((obj) => cachedVerdict(obj) === undefined), classifiers);
      for (const obj of listed) {
        const hit = cachedVerdict(obj);
        if (hit === undefined) reads.inferred++;
        const verdict = hit ?? batch.get(obj.file) ?? (await inferUnlessGone(deps.conn, obj.file, obj.size, classifiers));
        if (verdict === undefined) {
          vanished = true;
          continue;
        }
        deps.cache?.set(obj.file, { size: obj.size, mtimeMs: obj.mtimeMs, verdict });
        entries.push({ rel: obj.rel, file: obj.file, size: obj.size, mtimeMs: obj.mtimeMs, verdict });
      }
    }
    if (!vanished || pass === TARGET_PASSES) {
      reads.objects += entries.length;
      return entries;
    }
  }
}

/** A target's entries as the planner and the report take them. */
function splitEntries(entries: ManifestEntry[], root: string): ClassifiedTarget {
  const classified: ClassifiedObject[] = [];
  const unreadable: UnreadableObject[] = [];
  for (const e of entries) {
    if (e.verdict.ok) classified.push({ rel: e.rel, size: e.size, schema: e.verdict.schema });
    else unreadable.push({ uri: root + e.rel, reason: e.verdict.reason });
  }
  return { classified, unreadable, files: entries.map((e) => e.file), entries };
}

/** An object's inferred schema, or undefined when the object was deleted after it was listed. */
async function inferUnlessGone(conn: DuckDBConnection, file: string, size: number, classifiers: InferenceOptions): Promise<ObjectInference | undefined> {
  try {
    const verdict = await inferObjectSchema(conn, file, size, classifiers);
    // DuckDB reports a file deleted under it as unreadable: that object vanished too.
    if (!verdict.ok && (await stat(file).then(() => false, (err: unknown) => isGone(err)))) return undefined;
    return verdict;
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
}

/** Tables this crawler made under its targets whose data is gone: deleted, deprecated or only logged. */
async function retireVanishedTables(catalog: CrawlerCatalog, crawler: CrawlerInput, found: ReadonlySet<string>, behavior: DeleteBehavior, counters: CrawlCounters): Promise<void> {
  if (behavior === DeleteBehavior.Log) return;
  const roots = crawler.Targets.S3Targets.map((t) => withSlash(t.Path));
  for (const table of await catalog.getTables(crawler.DatabaseName)) {
    const mine = table.Parameters.UPDATED_BY_CRAWLER === crawler.Name && roots.some((r) => table.StorageDescriptor.Location.startsWith(r));
    if (!mine || found.has(table.Name)) continue;
    if (behavior === DeleteBehavior.DeleteFromDatabase) {
      await catalog.deleteTable(crawler.DatabaseName, table.Name);
      counters.tablesDeleted++;
    } else if (table.Parameters.DEPRECATED_BY_CRAWLER === undefined) {
      const { DatabaseName: _db, CreateTime: _c, UpdateTime: _u, VersionId: _v, ...input } = table;
      await catalog.updateTable(crawler.DatabaseName, { ...input, Parameters: { ...table.Parameters, DEPRECATED_BY_CRAWLER: new Date().toISOString() } });
      counters.tablesUpdated++;
    }
  }
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** How many folder levels below its bucket an S3 target sits (`s3://b/traffic/` is 1). */
function keyDepthOf(root: string): number {
  return parseS3Uri(root).key.split('/').filter((s) => s !== '').length;
}

/**
 * The partition depth of each table this crawler made under a target, by table root below the
 * target: the keys a crawl that may not change them (LOG) must keep planning.
 */
async function partitionDepthsOf(catalog: CrawlerCatalog, crawler: CrawlerInput, root: string): Promise<Map<string, number>> {
  const depths = new Map<string, number>();
  for (const table of await catalog.getTables(crawler.DatabaseName)) {
    const location = withSlash(table.StorageDescriptor.Location);
    if (table.Parameters.UPDATED_BY_CRAWLER !== crawler.Name || !location.startsWith(root)) continue;
    depths.set(location.slice(root.length).replace(/\/$/, ''), table.PartitionKeys.length);
  }
  return depths;
}

/** The folder name a target's own table takes: the last key segment, or the bucket at the root. */
function rootNameOf(root: string): string {
  const { bucket, key } = parseS3Uri(root);
  const segments = key.split('/').filter((s) => s !== '');
  return segments[segments.length - 1] ?? bucket;
}
