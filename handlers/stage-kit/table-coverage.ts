import type { GluePartition, GlueTable } from '../ports/catalog';
import type { RunSummary } from '../ports/run-store';

/**
 * Splits runs by whether a query of `table` reads their object: an unpartitioned table reads every
 * object below its location (Athena reads the folder recursively), a partitioned one only the objects
 * below its partitions' locations. An object outside them is in the table's folder but invisible to
 * every query — a layout the crawler could not fit to the table's keys — so its run must fail loudly,
 * never wait for a refine that cannot see it.
 */
export function splitByCoverage(table: GlueTable, partitions: readonly GluePartition[], runs: readonly RunSummary[]): { visible: RunSummary[]; invisible: RunSummary[] } {
  const roots = table.PartitionKeys.length === 0 ? [table.StorageDescriptor.Location] : partitions.map((p) => p.StorageDescriptor.Location);
  const folders = new Set(roots.map(withSlash));
  const visible: RunSummary[] = [];
  const invisible: RunSummary[] = [];
  for (const run of runs) (isBelowAny(`s3://${run.object.bucket}/${run.object.key}`, folders) ? visible : invisible).push(run);
  return { visible, invisible };
}

/** True when one of the uri's ancestor folders is in `folders` (each checked by lookup, not by scan). */
function isBelowAny(uri: string, folders: ReadonlySet<string>): boolean {
  for (let i = uri.indexOf('/', 'sN://'.length); i >= 0; i = uri.indexOf('/', i + 1)) if (folders.has(uri.slice(0, i + 1))) return true;
  return false;
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/**
 * True when a run's object sits below `table`'s location at exactly the depth of its partition keys
 * (`<location>/<v1>/…/<vn>/<file>`): its folder is one a crawl makes a partition of, so an object
 * outside every partition at that depth is in a folder no crawl has read yet, not a misplaced file.
 */
export function awaitsPartition(table: GlueTable, run: RunSummary): boolean {
  const location = withSlash(table.StorageDescriptor.Location);
  const uri = `s3://${run.object.bucket}/${run.object.key}`;
  if (table.PartitionKeys.length === 0 || !uri.startsWith(location)) return false;
  const segments = uri.slice(location.length).split('/');
  return segments.length === table.PartitionKeys.length + 1 && segments.every((s) => s !== '');
}
