import type { DatasetManifest } from '../../contracts/dataset-manifest';
import { crawlerNameOf, crawlPrefixesOf, databaseOf, type CrawledZone } from '../../handlers/stage-kit/naming';
import type { LakeTopology } from '../../handlers/stage-deps';

/** The zones a crawler catalogues, in flow order (quarantine is never crawled). */
export const CRAWLED_ZONES: readonly CrawledZone[] = ['raw', 'refined', 'forecast'];

/** One crawler of the stack: its name, dataset, zone, database and the S3 prefix it reads. */
export interface CrawlerSpec {
  readonly name: string;
  readonly dataset: string;
  readonly zone: CrawledZone;
  readonly database: string;
  /** Key prefixes inside the zone's bucket, one table each: `<dataset>/`, and `<dataset>_rejects/` in the refined zone. */
  readonly keyPrefixes: readonly string[];
}

/**
 * Every crawler the stack creates, named and placed exactly as the stages name them
 * (`handlers/stage-kit/naming.ts`): raw and refined for each dataset, forecast for datasets with a
 * forecast. The request-crawl stage finds them with GetCrawler and never has to create one on AWS.
 */
export function crawlerSpecs(topology: LakeTopology, datasets: readonly DatasetManifest[]): CrawlerSpec[] {
  return datasets.flatMap((dataset) =>
    CRAWLED_ZONES.filter((zone) => zone !== 'forecast' || dataset.forecast !== undefined).map((zone) => ({
      name: crawlerNameOf(topology, dataset.name, zone),
      dataset: dataset.name,
      zone,
      database: databaseOf(topology, zone),
      keyPrefixes: crawlPrefixesOf(dataset.name, zone),
    })),
  );
}
