import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeTableWildcards } from '../nag-acknowledgements';
import { grantObjects, ObjectAccess } from './grant-objects';
import type { CrawledZone } from '../../../handlers/stage-kit/naming';
import type { ClassifierSpec, CrawlerSpec } from '../crawler-specs';
import { CRAWLER_CONFIGURATION, CRAWLER_SCHEMA_CHANGE_POLICY } from '../../../handlers/stage-kit/crawler-configuration';

/** What the crawlers need: the name prefix, the zone databases, the crawler specs, and the bucket of each crawled zone. */
export interface GlueCrawlersProps {
  readonly prefix: string;
  readonly databases: Readonly<Record<CrawledZone, string>>;
  readonly crawlers: readonly CrawlerSpec[];
  readonly buckets: Readonly<Record<CrawledZone, s3.IBucket>>;
}


/**
 * One Glue database per crawled zone and one crawler per dataset and zone, on demand only (no
 * schedule: the request-crawl stage starts them, so an idle lake costs nothing). Policies are explicit
 * and the same as the local crawlers' (`handlers/stage-kit/crawler-configuration.ts`): one table per
 * dataset folder, new columns added but never retyped, vanished partitions deleted from the catalog (a
 * partition swap replaces data whole). A raw crawler runs in S3 event mode (`CRAWL_EVENT_MODE`, fed by
 * an SQS queue of its prefix's object events: after its first run it lists only the folders that
 * changed); the others re-list their target on every run (`CRAWL_EVERYTHING`). Crawler logs are
 * KMS-encrypted through a security configuration.
 */
export class GlueCrawlers extends Construct {
  readonly crawlerNames: readonly string[];
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GlueCrawlersProps) {
    super(scope, id);
    const databases = new Map<string, glue.CfnDatabase>();
    for (const [zone, name] of Object.entries(props.databases)) {
      databases.set(name, new glue.CfnDatabase(this, `Database-${zone}`, { catalogId: Aws.ACCOUNT_ID, databaseInput: { name, description: `Tributary ${zone} zone: one table per dataset` } }));
    }
    const logKey = new kms.Key(this, 'CrawlerLogKey', { enableKeyRotation: true, description: 'Encrypts Glue crawler logs' });
    logKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws-glue/crawlers*` } },
      }),
    );
    const securityConfiguration = new glue.CfnSecurityConfiguration(this, 'SecurityConfiguration', {
      name: `${props.prefix}-crawlers`,
      encryptionConfiguration: {
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: logKey.keyArn },
        s3Encryptions: [{ s3EncryptionMode: 'SSE-S3' }],
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'DISABLED' },
      },
    });
    this.role = new iam.Role(this, 'CrawlerRole', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'), description: 'Tributary Glue crawlers' });
    logKey.grant(this.role, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey');
    this.grantCatalog(Object.values(props.databases));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws-glue/crawlers*`],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/crawlers*]',
      reason: `${this.role.node.path}: Glue picks the crawler log group (/aws-glue/crawlers, or /aws-glue/crawlers-role/<role>-<security configuration> when logs are encrypted) and names the streams; the wildcard covers only those groups.`,
    });
    const names: string[] = [];
    const classifiers = new Map<string, glue.CfnClassifier>();
    for (const spec of props.crawlers) {
      const bucket = props.buckets[spec.zone];
      for (const prefix of spec.keyPrefixes) grantObjects(this.role, bucket, [ObjectAccess.Read], prefix);
      // The raw zone's crawls read only what changed (S3 event mode); the refined zone's partition swaps re-list.
      const events = spec.zone === 'raw' ? this.eventQueue(spec, bucket) : undefined;
      const crawler = new glue.CfnCrawler(this, `Crawler-${spec.dataset}-${spec.zone}`, {
        name: spec.name,
        role: this.role.roleArn,
        databaseName: spec.database,
        description: `Catalogues the ${spec.zone} zone of dataset ${spec.dataset}; started by the request-crawl stage.`,
        targets: { s3Targets: spec.keyPrefixes.map((prefix) => ({ path: `s3://${bucket.bucketName}/${prefix}`, ...(events ? { eventQueueArn: events.queueArn } : {}) })) },
        schemaChangePolicy: { updateBehavior: CRAWLER_SCHEMA_CHANGE_POLICY.UpdateBehavior, deleteBehavior: CRAWLER_SCHEMA_CHANGE_POLICY.DeleteBehavior },
        recrawlPolicy: { recrawlBehavior: events ? 'CRAWL_EVENT_MODE' : 'CRAWL_EVERYTHING' },
        configuration: CRAWLER_CONFIGURATION,
        crawlerSecurityConfiguration: securityConfiguration.ref,
        ...(spec.classifiers.length > 0 ? { classifiers: spec.classifiers.map((c) => `${props.prefix}-${c.name}`) } : {}),
      });
      for (const c of spec.classifiers) crawler.addResourceDependency(this.classifier(classifiers, props.prefix, c));
      const database = databases.get(spec.database);
      if (!database) throw new Error(`crawler ${spec.name} names database ${spec.database}, which is not one of the zone databases`);
      crawler.addResourceDependency(database);
      names.push(spec.name);
    }
    this.crawlerNames = names;
  }

  /**
   * The custom classifier a raw crawler names, made once per stack and dialect (datasets with the same
   * CSV dialect share one): a CSV classifier with the manifest's header, delimiter and quote, so the
   * raw table reads the file as the manifest says whatever Glue's heuristics would guess, or the JSON
   * classifier `$[*]` for files holding one array of objects. Named below the stack's prefix
   * (classifier names are unique per account and region).
   */
  private classifier(made: Map<string, glue.CfnClassifier>, prefix: string, spec: ClassifierSpec): glue.CfnClassifier {
    const name = `${prefix}-${spec.name}`;
    const known = made.get(name);
    if (known) return known;
    const classifier = new glue.CfnClassifier(this, `Classifier-${spec.name}`, spec.kind === 'csv'
      ? { csvClassifier: { name, containsHeader: spec.csv.ContainsHeader, delimiter: spec.csv.Delimiter, quoteSymbol: spec.csv.QuoteSymbol } }
      : { jsonClassifier: { name, jsonPath: spec.jsonPath } });
    made.set(name, classifier);
    return classifier;
  }

  /**
   * The SQS queue a raw crawler in S3 event mode consumes: the raw bucket sends it the object-created
   * and object-removed events of the crawler's prefix (S3 → SQS, beside the bucket's EventBridge
   * events), so a crawl lists only the folders that changed. The crawler role may receive, delete and
   * purge its messages and read the queue's attributes (the SQS actions Glue's event mode documents).
   */
  private eventQueue(spec: CrawlerSpec, bucket: s3.IBucket): sqs.Queue {
    const queue = new sqs.Queue(this, `Events-${spec.dataset}`, {
      queueName: `${spec.name}-events`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `${queue.node.path}: the crawler deletes its events only once a crawl has catalogued them; an event a failed crawl left must stay here for the next crawl (up to 14 days), not move to a dead-letter queue no crawl reads.`,
    });
    for (const prefix of spec.keyPrefixes) for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) bucket.addEventNotification(event, new s3n.SqsDestination(queue), { prefix });
    queue.grant(this.role, 'sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues', 'sqs:ReceiveMessage', 'sqs:GetQueueAttributes', 'sqs:ListQueueTags', 'sqs:SetQueueAttributes', 'sqs:PurgeQueue');
    return queue;
  }

  /**
   * What a crawler under the pipeline's policy calls in its zone databases: UPDATE_IN_DATABASE with
   * MergeNewColumns creates and updates tables (adding columns makes a new table version) and their
   * partitions; DELETE_FROM_DATABASE deletes partitions and tables whose data is gone.
   */
  private grantCatalog(databaseNames: readonly string[]): void {
    const arn = (resource: string): string => `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:BatchDeleteTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition', 'glue:BatchUpdatePartition', 'glue:DeletePartition', 'glue:BatchDeletePartition'],
        resources: [arn('catalog'), ...databaseNames.flatMap((db) => [arn(`database/${db}`), arn(`table/${db}/*`)])],
      }),
    );
    acknowledgeTableWildcards(this.role, databaseNames, 'the crawlers create one table per dataset folder, named by the crawler');
  }
}
