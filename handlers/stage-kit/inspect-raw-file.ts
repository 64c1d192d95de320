import { ConfigurationError } from '../../contracts/configuration-error';
import type { DatasetManifest } from '../../contracts/dataset-manifest';
import type { RawFileFacts, RawFileInspector } from '../ports/raw-file-inspector';
import { jsonLinesFacts } from './json-lines-facts';

/**
 * Checks a landed file against its dataset and measures it: with the realisation's RawFileInspector
 * (the embedded one reads every format with DuckDB), else — a realisation without one, whose stage
 * functions carry no DuckDB — uncompressed JSON lines by hand (`jsonLinesFacts`). Any other format
 * without an inspector is a ConfigurationError naming the dataset's manifest: the file stays in raw
 * and its run fails with an alert, for a replay once the realisation can read it, instead of being
 * registered with no rows (which the refine would then count as nothing to do).
 */
export async function inspectRawFile(key: string, body: Buffer, manifest: DatasetManifest, inspector?: RawFileInspector): Promise<RawFileFacts> {
  if (inspector) return inspector.inspect(key, body, manifest);
  if (manifest.raw.format === 'jsonl' && !key.toLowerCase().endsWith('.gz')) return jsonLinesFacts(key, body, manifest);
  throw new ConfigurationError(`sql/${manifest.name}/manifest.json`, undefined, `raw.format ${manifest.raw.format}${key.toLowerCase().endsWith('.gz') ? ' (gzip)' : ''} needs a raw-file inspector, which this realisation's register-landing has not got (${key} stays in raw)`);
}
