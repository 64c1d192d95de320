import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { awsOperations } from '../../../infra/aws/aws-operations';
import { readDatasetManifests } from '../../../infra/aws/dataset-manifests';
import { DEFAULT_SQL_DIR } from '../../../infra/datasets/dataset-roots';
import { buildStack } from './synth-stack';

/** A copy of the traffic dataset named `hourly`, batch-triggered (its own schedule rule and DLQ), in a folder of its own. */
function batchTriggeredDataset(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tributary-ops-datasets-'));
  cpSync(path.join(DEFAULT_SQL_DIR, 'traffic'), path.join(root, 'hourly'), { recursive: true });
  const file = path.join(root, 'hourly', 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...manifest, name: 'hourly', trigger: { schedule: 'rate(1 hour)' } }));
  return root;
}

describe('awsOperations', () => {
  const datasets = batchTriggeredDataset();
  const { app, stack } = buildStack({ prefix: 'lake-ops', datasetDirs: [datasets] });
  const template = Template.fromStack(stack);
  afterAll(() => {
    rmSync(app.outdir, { recursive: true, force: true });
    rmSync(datasets, { recursive: true, force: true });
  });
  const ops = awsOperations('lake-ops', {}, readDatasetManifests(DEFAULT_SQL_DIR, [datasets]));

  it('derives the names the stack gives its run table, bus, archive, rules and dead-letter queues', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'lake-ops-runs' });
    template.hasResourceProperties('AWS::Events::EventBus', { Name: ops.busName });
    template.hasResourceProperties('AWS::Events::Archive', { ArchiveName: ops.archiveName });
    const ruleNames = Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties.Name);
    for (const name of ops.ruleNames.values()) expect(ruleNames).toContain(name);
    // Every queue but the raw crawlers' S3 event queues (`<crawler>-events`, which Glue consumes) and the rules' delivery queues (`<rule>-deliveries`, which the stages consume) is a dead-letter queue.
    const queues = Object.values(template.findResources('AWS::SQS::Queue')).map((q) => String(q.Properties.QueueName)).filter((name) => !name.endsWith('-raw-events') && !name.endsWith('-deliveries')).sort();
    expect([...ops.deadLetterQueues].sort()).toEqual(queues);
  });

  it("lists each batch-triggered dataset's schedule DLQ, so `dlq --aws` reads and redrives it", () => {
    expect(ops.deadLetterQueues).toContain('lake-ops-batch-hourly-dlq');
    expect(awsOperations('lake-ops').deadLetterQueues).not.toContain('lake-ops-batch-hourly-dlq');
  });
});
