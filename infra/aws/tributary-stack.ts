import * as path from 'node:path';
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { batchTriggerRules, ruleTable, serviceForwardingPattern, type RuleRow } from '../../events/rules';
import { StageId } from '../../events/stage-ids';
import type { TopologyNames } from '../../events/topology-names';
import { forecastModelName } from '../../handlers/forecast-model/model-name';
import type { LakeTopology } from '../../handlers/stage-deps';
import { databaseOf } from '../../handlers/stage-kit/naming';
import { stageDefinitions } from '../../handlers/stages';
import { archivePattern } from './archive-pattern';
import { Alerting } from './constructs/alerting';
import { AthenaWorkgroup } from './constructs/athena-workgroup';
import { DatasetDeliveryStreams } from './constructs/dataset-delivery-streams';
import { EventSchemas } from './constructs/event-schemas';
import { ForecastModel } from './constructs/forecast-model';
import { GlueCrawlers } from './constructs/glue-crawlers';
import { grantNeeds } from './constructs/grant-capability';
import { LakeBuckets } from './constructs/lake-buckets';
import { PipelineBus } from './constructs/pipeline-bus';
import { PipelineDashboard } from './constructs/pipeline-dashboard';
import { RunStateTables } from './constructs/run-state-tables';
import { StageFunctions } from './constructs/stage-functions';
import { CRAWLED_ZONES, crawlerSpecs } from './crawler-specs';
import { extraDatasetDirs, readDatasetFolders } from './dataset-manifests';
import { acknowledgeBucketNotificationsHandler } from './nag-acknowledgements';
import { RuntimeEnvName } from './lambda/runtime-env';
import type { StackConfig } from './stack-config';

/** The stack's inputs: validated context and the repository root (sources of the derived resources). */
export interface TributaryStackProps extends StackProps {
  readonly config: StackConfig;
  readonly repositoryRoot: string;
}

/**
 * The whole pipeline on AWS, derived from the sources: the rule table (`events/rules.ts`) gives the
 * rules, their patterns, retry policies and DLQs; the dataset manifests (`sql/`) give the crawlers;
 * the contracts give the schema registry; the stage registry gives one function per stage, consuming
 * the SQS queue of each rule that targets it and applying the rule's retry policy (then its DLQ). Nothing
 * here runs while idle: buckets, tables (on demand), rules and functions cost only when used.
 */
export class TributaryStack extends Stack {
  readonly names: TopologyNames;
  /** The lake as the stages see it on AWS: the same names the stage functions get in their environment. */
  readonly topology: LakeTopology;
  readonly rows: readonly RuleRow[];
  readonly lake: LakeBuckets;
  readonly pipeline: PipelineBus;
  readonly alerting: Alerting;
  readonly stageFunctions: StageFunctions;

  constructor(scope: Construct, id: string, props: TributaryStackProps) {
    super(scope, id, props);
    const { config, repositoryRoot } = props;
    const prefix = config.prefix;
    const folders = readDatasetFolders(path.join(repositoryRoot, 'sql'), extraDatasetDirs(config.datasetDirs));
    const datasets = folders.map((d) => d.manifest);
    this.lake = new LakeBuckets(this, 'Lake', { queryResultDays: config.queryResultDays });
    this.names = { busName: prefix, rawBucket: this.lake.raw.bucketName, resourcePrefix: prefix, athenaWorkgroup: prefix };
    this.topology = {
      names: this.names,
      buckets: { raw: this.lake.raw.bucketName, refined: this.lake.refined.bucketName, forecast: this.lake.forecast.bucketName, quarantine: this.lake.quarantine.bucketName },
      readWorkgroup: `${prefix}-read`,
    };
    this.rows = ruleTable(this.names);
    const tables = new RunStateTables(this, 'RunState', { prefix });
    const databases = { raw: databaseOf(this.topology, 'raw'), refined: databaseOf(this.topology, 'refined'), forecast: databaseOf(this.topology, 'forecast') };
    const crawlers = new GlueCrawlers(this, 'Catalog', {
      prefix,
      databases,
      crawlers: crawlerSpecs(this.topology, datasets),
      buckets: { raw: this.lake.raw, refined: this.lake.refined, forecast: this.lake.forecast },
    });
    const cutoff = config.bytesScannedCutoffMb;
    const refineWorkgroup = new AthenaWorkgroup(this, 'AthenaRefine', { name: this.names.athenaWorkgroup, description: 'Tributary refine queries (their state changes drive announce-refined)', resultsBucket: this.lake.queryResults, bytesScannedCutoffMb: cutoff });
    const readWorkgroup = new AthenaWorkgroup(this, 'AthenaRead', { name: this.topology.readWorkgroup, description: 'Tributary view and forecast-input queries (polled, not forwarded)', resultsBucket: this.lake.queryResults, bytesScannedCutoffMb: cutoff });
    const models = datasets.flatMap((d) => (d.forecast ? [forecastModelName(d.name)] : []));
    const deployedModels = models.map((model) => new ForecastModel(this, `Model-${model}`, { modelName: model, repositoryRoot, inputBucket: this.lake.forecast, outputBucket: this.lake.forecast, imageUri: config.forecastImage }));
    this.alerting = new Alerting(this, 'Alerting', { topicName: `${prefix}-alerts`, alertEmail: config.alertEmail });
    if (config.alertEmail === undefined) Annotations.of(this).addWarningV2('tributary:no-alert-email', 'No alertEmail in context: alarms publish to the topic, but nobody is subscribed. Deploy with -c alertEmail=you@example.com.');
    this.stageFunctions = new StageFunctions(this, 'Stages', {
      repositoryRoot,
      extraDatasets: folders.filter((d) => path.dirname(d.folder) !== path.join(repositoryRoot, 'sql')),
      memoryMb: config.functionMemoryMb,
      environment: {
        [RuntimeEnvName.Prefix]: prefix,
        [RuntimeEnvName.Bus]: this.names.busName,
        [RuntimeEnvName.RawBucket]: this.lake.raw.bucketName,
        [RuntimeEnvName.RefinedBucket]: this.lake.refined.bucketName,
        [RuntimeEnvName.ForecastBucket]: this.lake.forecast.bucketName,
        [RuntimeEnvName.QuarantineBucket]: this.lake.quarantine.bucketName,
        [RuntimeEnvName.RefineWorkgroup]: refineWorkgroup.name,
        [RuntimeEnvName.ReadWorkgroup]: readWorkgroup.name,
        [RuntimeEnvName.RunTable]: tables.runs.tableName,
        [RuntimeEnvName.IdempotencyTable]: tables.idempotency.tableName,
        [RuntimeEnvName.AlertTopicArn]: this.alerting.topic.topicArn,
        [RuntimeEnvName.ModelNames]: this.toJsonString(Object.fromEntries(deployedModels.map((m) => [m.modelName, m.deployedName]))),
      },
    });
    this.pipeline = new PipelineBus(this, 'Events', {
      prefix,
      busName: this.names.busName,
      rows: this.rows,
      forwardingPattern: serviceForwardingPattern(this.names),
      archivePattern: archivePattern(this.names),
      archiveRetentionDays: config.archiveRetentionDays,
      functionOf: (stage) => this.stageFunctions.of(stage),
      batchTriggers: batchTriggerRules(this.names, datasets),
    });
    const targets = {
      prefix,
      buckets: this.lake,
      runTable: tables.runs,
      idempotencyTable: tables.idempotency,
      bus: this.pipeline.bus,
      workgroups: [refineWorkgroup.name, readWorkgroup.name],
      databases: CRAWLED_ZONES.map((zone) => databases[zone]),
      crawlerNames: crawlers.crawlerNames,
      topic: this.alerting.topic,
      topicKey: this.alerting.key,
    };
    for (const stage of Object.values(StageId)) {
      const role = this.stageFunctions.of(stage).role;
      if (!role) throw new Error(`stage ${stage} has no role`);
      grantNeeds(role, stageDefinitions[stage].needs, targets);
      this.alerting.alarmOnFunctionErrors(stage, this.stageFunctions.of(stage));
    }
    const allRules = [this.pipeline.forwarding, ...this.pipeline.rules, ...this.pipeline.schedules];
    for (const rule of allRules) this.alerting.alarmOnDeadLetters(rule);
    const alertRow = this.rows.find((r) => r.target === StageId.Alert);
    const stageFailedRule = this.pipeline.rules.find((r) => r.id === alertRow?.id);
    if (!stageFailedRule) throw new Error('the rule table has no rule for the alert stage (StageFailed) to alarm on');
    this.alerting.alarmOnStageFailed(stageFailedRule, this.names.busName);
    new EventSchemas(this, 'Schemas', { registryName: `${prefix}-events`, schemaDir: path.join(repositoryRoot, 'contracts', 'json-schema') });
    new PipelineDashboard(this, 'Dashboard', { dashboardName: `${prefix}-pipeline`, busName: this.names.busName, workgroup: refineWorkgroup.name, rules: allRules, functions: this.stageFunctions.functions });
    acknowledgeBucketNotificationsHandler(this);
    const ingest = new DatasetDeliveryStreams(this, 'Ingest', { prefix, datasets, rawBucket: this.lake.raw });
    for (const [dataset, stream] of ingest.streams) new CfnOutput(this, `DeliveryStream${dataset.replace(/[^A-Za-z0-9]/g, '')}`, { value: stream.ref, description: `Firehose delivery stream of dataset ${dataset}: records land in the raw bucket under ${dataset}/` });
    this.outputs(prefix);
  }

  private outputs(prefix: string): void {
    new CfnOutput(this, 'RawBucketName', { value: this.lake.raw.bucketName, description: 'Drop files here (under <dataset>/) to start runs' });
    new CfnOutput(this, 'EventBusName', { value: this.names.busName });
    new CfnOutput(this, 'ArchiveArn', { value: this.pipeline.archive.attrArn, description: 'tributary replay --aws replays from here' });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerting.topic.topicArn });
    new CfnOutput(this, 'ResourcePrefix', { value: prefix, description: 'Crawlers, transform jobs, workgroups and databases are named from it' });
  }
}
