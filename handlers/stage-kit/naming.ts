import { createHash } from 'node:crypto';
import type { Zone } from '../../contracts/domain-events';
import type { LakeTopology } from '../stage-deps';

/** The crawled zones, each with its own Glue database. */
export type CrawledZone = Exclude<Zone, 'quarantine'>;

/** The Glue/Athena database of a zone: `<prefix>_<zone>` (`tributary_raw` …), as the dataset SQL names it. */
export function databaseOf(topology: LakeTopology, zone: CrawledZone): string {
  return `${topology.names.resourcePrefix}_${zone}`;
}

/** The crawler of one dataset in one zone: `<prefix>-<dataset>-<zone>`, which the rules match by prefix. */
export function crawlerNameOf(topology: LakeTopology, dataset: string, zone: CrawledZone): string {
  return `${topology.names.resourcePrefix}-${dataset.replace(/_/g, '-')}-${zone}`;
}

/**
 * The key prefixes a dataset's crawler of one zone catalogues, each a table: the dataset's folder, and
 * in the refined zone also its rejects folder (`<dataset>_rejects/`, the rejects table). The local
 * crawlers and the stack's take their targets (and the stack its read grants) from here.
 */
export function crawlPrefixesOf(dataset: string, zone: CrawledZone): string[] {
  return zone === 'refined' ? [`${dataset}/`, `${dataset}_rejects/`] : [`${dataset}/`];
}

/** Inverse of crawlerNameOf over the known datasets; undefined for a crawler that is not ours. */
export function parseCrawlerName(topology: LakeTopology, name: string, datasets: readonly string[]): { dataset: string; zone: CrawledZone } | undefined {
  for (const dataset of datasets) {
    for (const zone of ['raw', 'refined', 'forecast'] as const) {
      if (crawlerNameOf(topology, dataset, zone) === name) return { dataset, zone };
    }
  }
  return undefined;
}

/** A short stable hash of some parts, for run ids, job names and idempotency tokens. */
export function stableHash(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/**
 * The `ClientRequestToken` of a job's query: the job id and a SHA-256 of it, so the same job always
 * sends the same token (a retried start returns the first query) and the token keeps within Athena's
 * 32–128 characters whatever the job id's length.
 */
export function queryTokenOf(jobId: string): string {
  const digest = createHash('sha256').update(jobId).digest('hex');
  const token = `${jobId}-${digest}`;
  return token.length <= 128 ? token : digest;
}

/** The run id of one object version: the same key and etag always give the same run. */
export function runIdOf(key: string, etag: string): string {
  return `run-${stableHash(key, etag)}`;
}

/** The first key segment names the dataset (`traffic/2026/01/…` → `traffic`). */
export function datasetOfKey(key: string): string {
  return key.split('/')[0] ?? '';
}
