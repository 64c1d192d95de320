import { csvOptions, type DatasetManifest } from '../../contracts/dataset-manifest';
import { csvClassifierOf, JSON_ARRAY_CLASSIFIER, type CsvClassifier } from '../../handlers/stage-kit/crawler-configuration';
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
  /** The custom classifiers the crawler tries before Glue's built-ins (raw crawlers of CSV and JSON-array datasets; none otherwise). */
  readonly classifiers: readonly ClassifierSpec[];
}

/**
 * A custom Glue classifier a raw crawler names, as the local crawler applies it
 * (`handlers/stage-kit/crawler-configuration.ts`): a CSV classifier with the manifest's header,
 * delimiter and quote, or the JSON classifier `$[*]` that makes each element of a file's array a row.
 * `name` is the classifier's name below the stack's prefix (`csv-present-2c-22`, `json-array`).
 */
export type ClassifierSpec =
  | { readonly kind: 'csv'; readonly name: string; readonly csv: CsvClassifier }
  | { readonly kind: 'json'; readonly name: string; readonly jsonPath: string };

/** The custom classifiers of a dataset's raw crawler: its CSV dialect, JSON arrays' `$[*]`, none for JSON lines and Parquet. */
export function rawClassifierSpecs(manifest: Pick<DatasetManifest, 'raw'>): ClassifierSpec[] {
  const below = (name: string): string => name.replace(/^tributary-/, '');
  if (manifest.raw.format === 'csv') {
    const csv = csvClassifierOf(csvOptions(manifest));
    return [{ kind: 'csv', name: below(csv.Name), csv }];
  }
  if (manifest.raw.format === 'json') return [{ kind: 'json', name: below(JSON_ARRAY_CLASSIFIER.Name), jsonPath: JSON_ARRAY_CLASSIFIER.JsonPath }];
  return [];
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
      classifiers: zone === 'raw' ? rawClassifierSpecs(dataset) : [],
    })),
  );
}
