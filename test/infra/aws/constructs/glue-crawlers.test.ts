import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { LakeTopology } from '../../../../handlers/stage-deps';
import { databaseOf } from '../../../../handlers/stage-kit/naming';
import { GlueCrawlers } from '../../../../infra/aws/constructs/glue-crawlers';
import { crawlerSpecs } from '../../../../infra/aws/crawler-specs';
import { readDatasetManifests } from '../../../../infra/aws/dataset-manifests';
import { repositoryRoot } from '../synth-stack';
import { parseDatasetManifest } from '../../../../contracts/dataset-manifest';

type Statement = { Action: string | string[]; Resource: unknown };
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('GlueCrawlers', () => {
  const topology: LakeTopology = {
    names: { busName: 'acme', rawBucket: 'acme-raw', resourcePrefix: 'acme', athenaWorkgroup: 'acme' },
    buckets: { raw: 'acme-raw', refined: 'acme-refined', forecast: 'acme-forecast', quarantine: 'acme-quarantine' },
    readWorkgroup: 'acme-read',
  };
  const stack = new Stack(new App(), 'Crawlers');
  const buckets = { raw: new s3.Bucket(stack, 'Raw'), refined: new s3.Bucket(stack, 'Refined'), forecast: new s3.Bucket(stack, 'Forecast') };
  const datasets = readDatasetManifests(path.join(repositoryRoot, 'sql'));
  const databases = { raw: databaseOf(topology, 'raw'), refined: databaseOf(topology, 'refined'), forecast: databaseOf(topology, 'forecast') };
  const crawlers = new GlueCrawlers(stack, 'Catalog', { prefix: 'acme', databases, crawlers: crawlerSpecs(topology, datasets), buckets });
  const template = Template.fromStack(stack);
  const resolved = (value: unknown): string => JSON.stringify(stack.resolve(value));
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
  const crawlerProps = Object.values(template.findResources('AWS::Glue::Crawler')).map((c) => (c as { Properties: Record<string, unknown> }).Properties);

  it('catalogues each dataset\'s rejects: the refined crawler targets <dataset>_rejects/ and its role reads it', () => {
    for (const dataset of datasets) {
      const refined = crawlerProps.find((c) => c.DatabaseName === databases.refined && JSON.stringify(c.Targets).includes(`/${dataset.name}/`));
      const paths = JSON.stringify(refined?.Targets);
      expect(paths).toContain(`/${dataset.name}/`);
      expect(paths).toContain(`/${dataset.name}_rejects/`);
      const reads = statements.filter((s) => actionsOf(s).includes('s3:GetObject')).map((s) => JSON.stringify(s.Resource));
      expect(reads.some((r) => r.includes(resolved(buckets.refined.bucketArn).slice(1, -1)) && r.includes(`/${dataset.name}_rejects/*`))).toBe(true);
    }
  });

  it('updates tables in the database, so MergeNewColumns applies (under LOG the crawler leaves existing tables alone)', () => {
    expect(crawlerProps.length).toBeGreaterThan(0);
    for (const crawler of crawlerProps) {
      expect(crawler.SchemaChangePolicy).toEqual({ UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DELETE_FROM_DATABASE' });
      expect(JSON.parse(String(crawler.Configuration))).toMatchObject({ CrawlerOutput: { Tables: { AddOrUpdateBehavior: 'MergeNewColumns' } } });
    }
  });

  it('lets the crawlers delete what DELETE_FROM_DATABASE deletes: tables and partitions of the zone databases', () => {
    const catalog = statements.find((s) => actionsOf(s).includes('glue:CreateTable'));
    expect(actionsOf(catalog ?? { Action: [], Resource: [] })).toEqual(expect.arrayContaining(['glue:DeleteTable', 'glue:BatchDeleteTable', 'glue:DeletePartition', 'glue:BatchDeletePartition']));
    for (const db of Object.values(databases)) expect(JSON.stringify(catalog?.Resource)).toContain(`:table/${db}/*`);
    expect(crawlers.crawlerNames.length).toBe(crawlerProps.length);
  });

  it('gives the raw crawler of a CSV or JSON-array dataset a custom classifier with the manifest\'s dialect, one per dialect', () => {
    const manifestOf = (name: string, raw: unknown): ReturnType<typeof parseDatasetManifest> => parseDatasetManifest({ ...datasets[0], name, raw, eventTime: { column: 'date', format: 'iso8601' }, partitioning: { by: 'day', keys: ['year', 'month', 'day'] }, forecast: undefined });
    const own = new Stack(new App(), 'Classifiers');
    const zones = { raw: new s3.Bucket(own, 'Raw'), refined: new s3.Bucket(own, 'Refined'), forecast: new s3.Bucket(own, 'Forecast') };
    const formats = [
      manifestOf('weather', { format: 'csv' }),
      manifestOf('weather_copy', { format: 'csv' }),
      manifestOf('stations', { format: 'csv', csv: { header: false, delimiter: ';', quote: "'" } }),
      manifestOf('flights', { format: 'json' }),
      manifestOf('lines', { format: 'jsonl' }),
      manifestOf('columnar', { format: 'parquet' }),
    ];
    new GlueCrawlers(own, 'Catalog', { prefix: 'acme', databases, crawlers: crawlerSpecs(topology, formats), buckets: zones });
    const t = Template.fromStack(own);
    const classifiers = Object.values(t.findResources('AWS::Glue::Classifier')).map((c) => (c as { Properties: Record<string, unknown> }).Properties);
    expect(classifiers).toEqual(expect.arrayContaining([
      { CsvClassifier: { Name: 'acme-csv-present-2c-22', ContainsHeader: 'PRESENT', Delimiter: ',', QuoteSymbol: '"' } },
      { CsvClassifier: { Name: 'acme-csv-absent-3b-27', ContainsHeader: 'ABSENT', Delimiter: ';', QuoteSymbol: "'" } },
      { JsonClassifier: { Name: 'acme-json-array', JsonPath: '$[*]' } },
    ]));
    expect(classifiers).toHaveLength(3);
    const crawler = (dataset: string, zone: string): Record<string, unknown> | undefined => Object.values(t.findResources('AWS::Glue::Crawler')).map((c) => c as { Properties: Record<string, unknown>; DependsOn?: string[] }).find((c) => c.Properties.Name === `acme-${dataset.replace(/_/g, '-')}-${zone}`)?.Properties;
    expect(crawler('weather', 'raw')?.Classifiers).toEqual(['acme-csv-present-2c-22']);
    expect(crawler('weather_copy', 'raw')?.Classifiers).toEqual(['acme-csv-present-2c-22']);
    expect(crawler('stations', 'raw')?.Classifiers).toEqual(['acme-csv-absent-3b-27']);
    expect(crawler('flights', 'raw')?.Classifiers).toEqual(['acme-json-array']);
    for (const [dataset, zone] of [['lines', 'raw'], ['columnar', 'raw'], ['weather', 'refined']] as const) expect(crawler(dataset, zone)?.Classifiers).toBeUndefined();
    // The crawler is created after the classifiers it names.
    const deps = Object.values(t.findResources('AWS::Glue::Crawler')).map((c) => c as { Properties: Record<string, unknown>; DependsOn?: string[] }).find((c) => c.Properties.Name === 'acme-flights-raw')?.DependsOn ?? [];
    expect(deps.some((d) => d.startsWith('CatalogClassifierjsonarray'))).toBe(true);
  });
});
