import { BatchUpdatePartitionCommand, GetCrawlersCommand, ListCrawlsCommand, type GlueClient } from '@aws-sdk/client-glue';
import { ListTransformJobsCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { EventEnvelope } from '../../../../contracts/envelope';
import type { GluePartitionInput } from '../../../../handlers/ports/catalog';
import type { CrawlerInput, CrawlerPort } from '../../../../handlers/ports/crawler';
import { TransformJobStatus, type BatchTransformPort, type InferenceFunction } from '../../../../handlers/ports/batch-transform';
import { GlueCatalog } from '../../../../infra/aws/adapters/glue-catalog';
import { storageInput } from '../../../../infra/aws/adapters/glue-shapes';
import { runTransform } from '../../../../infra/emulators/batch-transform/run-transform';
import { transformJobStateChangeEntry } from '../../../../infra/emulators/batch-transform/transform-job-event';
import { transformJobSpec } from '../../../../infra/emulators/batch-transform/transform-job-spec';
import type { DuckDbCrawler } from '../../../../infra/emulators/crawler/duckdb-crawler';
import { envelopeOf, type CapturedEvents, type EventOrigin } from './chain-driver';
import type { LakeMirror } from './lake-mirror';

/**
 * The Glue catalog adapter plus the one call the local crawler needs that the pipeline's stages do
 * not (BatchUpdatePartition, to rewrite partitions whose storage changed), so the local crawler writes
 * its tables and partitions into moto's Glue catalog over the wire.
 */
export class CrawlerGlueCatalog extends GlueCatalog {
  constructor(private readonly glue: GlueClient) {
    super(glue);
  }

  async batchUpdatePartition(database: string, table: string, inputs: readonly GluePartitionInput[]): Promise<{ notFound: string[][] }> {
    const notFound: string[][] = [];
    for (let i = 0; i < inputs.length; i += 100) {
      const Entries = inputs.slice(i, i + 100).map((p) => ({
        PartitionValueList: [...p.Values],
        PartitionInput: { Values: [...p.Values], StorageDescriptor: storageInput(p.StorageDescriptor), ...(p.Parameters === undefined ? {} : { Parameters: { ...p.Parameters } }) },
      }));
      const out = await this.glue.send(new BatchUpdatePartitionCommand({ DatabaseName: database, TableName: table, Entries }));
      for (const error of out.Errors ?? []) {
        if (error.ErrorDetail?.ErrorCode !== 'EntityNotFoundException') throw new Error(`BatchUpdatePartition ${database}.${table}: ${error.ErrorDetail?.ErrorCode ?? ''} ${error.ErrorDetail?.ErrorMessage ?? ''}`);
        notFound.push(error.PartitionValueList ?? []);
      }
    }
    return { notFound };
  }
}

/** What the stand-ins work with: moto's clients, the pipeline's ports on moto, and the local services over the mirrored lake. */
export interface StandInOptions {
  readonly home: string;
  readonly origin: EventOrigin;
  readonly glue: GlueClient;
  readonly sagemaker: SageMakerClient;
  readonly mirror: LakeMirror;
  /** The crawler port on moto (GlueCrawler): where the stages start crawls and read their definitions. */
  readonly motoCrawler: CrawlerPort;
  /** The batch-transform port on moto (SageMakerBatchTransform): describes a job with the manifest's model name. */
  readonly motoTransform: BatchTransformPort;
  /** The local crawler over the mirrored lake, writing into moto's catalog, and the events it emits. */
  readonly localCrawler: DuckDbCrawler;
  readonly crawlerEvents: CapturedEvents;
  /** The inference code of each manifest model (what the SageMaker container serves). */
  readonly models: Readonly<Record<string, InferenceFunction>>;
  /** Manifest model name → the SageMaker model deployed for it. */
  readonly deployedModels: Readonly<Record<string, string>>;
}

/**
 * Does the work moto accepts but does not do. moto 5.2.1 records a crawl and reports it RUNNING, but
 * catalogues nothing; it records a transform job as Completed at once, but runs no container and
 * writes no output; and neither service emits its state-change events. So, against the same objects
 * (mirrored from moto's S3) and moto's Glue catalog: each crawl moto shows RUNNING is run by the
 * project's local crawler with the definition read back from moto (then moto's crawl is advanced to
 * COMPLETED, and the local crawler's `Glue Crawler State Change` events are delivered; no S3 object
 * events are queued for it, so which folders Glue's event mode re-lists is not what this proves: the
 * raw crawls here list their target); each transform
 * job moto lists is run by the local batch-transform code with the model's inference code, its
 * output put in S3, and its `SageMaker Transform Job State Change` event built from the job.
 */
export class ServiceStandIns {
  private readonly transformed = new Set<string>();

  constructor(private readonly options: StandInOptions) {}

  /** Runs every crawl moto shows running and every transform job not run yet; returns their events. */
  async advance(): Promise<EventEnvelope[]> {
    return [...(await this.crawls()), ...(await this.transforms())];
  }

  private async crawls(): Promise<EventEnvelope[]> {
    const { glue, localCrawler, mirror } = this.options;
    const running = ((await glue.send(new GetCrawlersCommand({}))).Crawlers ?? []).filter((c) => c.State === 'RUNNING');
    for (const crawler of running) {
      const name = crawler.Name ?? '';
      const definition = await this.options.motoCrawler.getCrawler(name);
      if (definition === undefined) throw new Error(`moto lists crawler ${name} but GetCrawler does not find it`);
      if ((await localCrawler.getCrawler(name)) === undefined) await localCrawler.createCrawler(inputOf(definition));
      await mirror.down();
      await localCrawler.startCrawler(name);
      const report = await localCrawler.awaitCrawl(name);
      if (report === undefined) throw new Error(`the local crawl of ${name} left no report`);
      // moto's crawl ends on the next ListCrawls (the state manager's manual transition, one step).
      await glue.send(new ListCrawlsCommand({ CrawlerName: name }));
    }
    return this.options.crawlerEvents.take();
  }

  private async transforms(): Promise<EventEnvelope[]> {
    const { sagemaker, home, mirror, models, origin } = this.options;
    const events: EventEnvelope[] = [];
    const jobs = (await sagemaker.send(new ListTransformJobsCommand({}))).TransformJobSummaries ?? [];
    for (const summary of jobs) {
      const name = summary.TransformJobName ?? '';
      if (this.transformed.has(name)) continue;
      this.transformed.add(name);
      const job = await this.options.motoTransform.describeTransformJob(name);
      const infer = models[job.ModelName];
      if (infer === undefined) throw new Error(`transform job ${name} names model ${job.ModelName}, which has no inference code`);
      const spec = transformJobSpec(job, { home, models: new Set(Object.keys(models)), region: origin.region, account: origin.account });
      await mirror.down();
      const result = await runTransform(home, spec, infer);
      await mirror.up();
      const ended = result.failureReason === undefined ? { TransformJobStatus: TransformJobStatus.Completed } : { TransformJobStatus: TransformJobStatus.Failed, FailureReason: result.failureReason };
      // The event names the SageMaker model the job ran (the deployed one), as SageMaker's own does.
      const deployed = { ...job, ...ended, ModelName: this.options.deployedModels[job.ModelName] ?? job.ModelName, TransformEndTime: new Date() };
      events.push(envelopeOf(transformJobStateChangeEntry(deployed, new Date()), origin));
    }
    return events;
  }
}

/** A crawler's definition as CreateCrawler takes it, from what GetCrawler returned. */
function inputOf(crawler: CrawlerInput): CrawlerInput {
  return {
    Name: crawler.Name,
    DatabaseName: crawler.DatabaseName,
    Targets: crawler.Targets,
    ...(crawler.TablePrefix === undefined ? {} : { TablePrefix: crawler.TablePrefix }),
    ...(crawler.SchemaChangePolicy === undefined ? {} : { SchemaChangePolicy: crawler.SchemaChangePolicy }),
    ...(crawler.RecrawlPolicy === undefined ? {} : { RecrawlPolicy: crawler.RecrawlPolicy }),
    ...(crawler.Configuration === undefined ? {} : { Configuration: crawler.Configuration }),
    ...(crawler.Classifiers === undefined || crawler.Classifiers.length === 0 ? {} : { Classifiers: crawler.Classifiers }),
  };
}
