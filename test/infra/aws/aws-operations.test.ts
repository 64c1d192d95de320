import { rmSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { awsOperations } from '../../../infra/aws/aws-operations';
import { buildStack } from './synth-stack';

describe('awsOperations', () => {
  const { app, stack } = buildStack({ prefix: 'lake-ops' });
  const template = Template.fromStack(stack);
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));
  const ops = awsOperations('lake-ops');

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
});
