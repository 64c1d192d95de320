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
});
