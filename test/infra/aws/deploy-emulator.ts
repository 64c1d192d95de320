/**
 * `npm run deploy:emulator`: bootstraps and deploys the CDK stack onto moto (a real AWS emulator, on a
 * free loopback port) with the unmodified CDK CLI and `AWS_ENDPOINT_URL`, the forecast image given by
 * the `forecastImage` context key (no Docker engine is needed), then reports every resource of the
 * synthesised template: created by moto, refused (its CloudFormation event says why), or not modelled
 * by moto's CloudFormation (moto skips the type and still completes the stack). Exit 0 when the stack
 * reached CREATE_COMPLETE and moto holds the whole SQS delivery path (every stage rule → its delivery
 * queue with a retry policy and DLQ, each queue's redrive policy, each queue's event source mapping
 * with ReportBatchItemFailures), 1 otherwise. moto's own bugs are worked around in its launcher
 * (`moto/serve.py`) and here, never in the template.
 */
import { spawn } from 'node:child_process';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { MOTO_ACCOUNT, MOTO_REGION, startMoto, type MotoServer } from './moto/moto-server';

const STACK = 'Tributary';
const QUALIFIER = 'hnb659fds';
const FORECAST_IMAGE = `${MOTO_ACCOUNT}.dkr.ecr.${MOTO_REGION}.amazonaws.com/tributary-forecast:emulator`;
const root = path.resolve(__dirname, '..', '..', '..');
const MOTO_LOG = path.join(os.tmpdir(), 'tributary-deploy-emulator-moto.log');

/** Runs the CDK CLI of this repository against moto; resolves with its exit code. */
function cdk(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk'), ...args], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** The members of each `<member>` of a Query-protocol XML answer, as flat records (tag → text). */
function members(xml: string, tags: readonly string[]): Record<string, string>[] {
  return [...xml.matchAll(/<member>([\s\S]*?)<\/member>/g)].map(([, body = '']) => Object.fromEntries(tags.map((tag) => [tag, new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1] ?? ''])));
}

/** SSM JSON call on moto (no SSM client in this repository). */
async function ssm(moto: MotoServer, target: string, body: object): Promise<{ status: number; text: string }> {
  const response = await fetch(`${moto.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${target}`, authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${MOTO_REGION}/ssm/aws4_request, SignedHeaders=host, Signature=0` },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

interface Verdict {
  readonly logicalId: string;
  readonly type: string;
  readonly outcome: 'created' | 'refused' | 'not modelled by moto' | 'handler not run';
  readonly reason?: string;
}

async function report(moto: MotoServer, templatePath: string): Promise<{ verdicts: Verdict[]; stackStatus: string }> {
  const template = JSON.parse(await readFile(templatePath, 'utf8')) as { Resources: Record<string, { Type: string }> };
  const described = await moto.query('cloudformation', { Action: 'DescribeStacks', StackName: STACK, Version: '2010-05-15' }).catch(() => '');
  const stackStatus = /<StackStatus>([^<]+)<\/StackStatus>/.exec(described)?.[1] ?? 'NOT_CREATED';
  const listed = stackStatus === 'NOT_CREATED' ? [] : members(await moto.query('cloudformation', { Action: 'DescribeStackResources', StackName: STACK, Version: '2010-05-15' }), ['LogicalResourceId', 'ResourceStatus', 'PhysicalResourceId']);
  const events = stackStatus === 'NOT_CREATED' ? [] : members(await moto.query('cloudformation', { Action: 'DescribeStackEvents', StackName: STACK, Version: '2010-05-15' }), ['LogicalResourceId', 'ResourceStatus', 'ResourceStatusReason']);
  const unsupported = new Set([...moto.output().matchAll(/No Moto CloudFormation support for (\S+)/g)].map(([, type = '']) => type));
  const verdicts = Object.entries(template.Resources).map(([logicalId, { Type: type }]): Verdict => {
    const failed = events.find((e) => e.LogicalResourceId === logicalId && (e.ResourceStatus ?? '').endsWith('FAILED'));
    if (failed !== undefined) return { logicalId, type, outcome: 'refused', reason: failed.ResourceStatusReason };
    const resource = listed.find((r) => r.LogicalResourceId === logicalId);
    // A custom resource's handler is a Lambda function: moto records the resource but cannot run the function (no Docker engine).
    if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return { logicalId, type, outcome: 'handler not run' };
    if (unsupported.has(type) || resource === undefined || resource.PhysicalResourceId === '') return { logicalId, type, outcome: 'not modelled by moto' };
    return { logicalId, type, outcome: (resource.ResourceStatus ?? '').endsWith('COMPLETE') ? 'created' : 'refused', reason: resource.ResourceStatus };
  });
  return { verdicts, stackStatus };
}

function print(verdicts: readonly Verdict[], stackStatus: string): void {
  const byType = new Map<string, Verdict[]>();
  for (const v of verdicts) byType.set(v.type, [...(byType.get(v.type) ?? []), v]);
  process.stdout.write(`\nstack ${STACK}: ${stackStatus}; ${verdicts.length} resources in the template\n\n`);
  process.stdout.write(`${'resource type'.padEnd(42)} created  refused  not modelled  handler not run\n`);
  for (const [type, list] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const count = (outcome: Verdict['outcome']): string => String(list.filter((v) => v.outcome === outcome).length).padStart(7);
    process.stdout.write(`${type.padEnd(42)}${count('created')}  ${count('refused')}  ${count('not modelled by moto').padStart(12)}  ${count('handler not run').padStart(15)}\n`);
  }
  const total = (outcome: Verdict['outcome']): number => verdicts.filter((v) => v.outcome === outcome).length;
  process.stdout.write(`${'total'.padEnd(42)}${String(total('created')).padStart(7)}  ${String(total('refused')).padStart(7)}  ${String(total('not modelled by moto')).padStart(12)}  ${String(total('handler not run')).padStart(15)}\n`);
  for (const v of verdicts.filter((x) => x.outcome === 'refused')) process.stdout.write(`refused: ${v.logicalId} (${v.type}): ${v.reason ?? ''}\n`);
}

/** What moto holds of the SQS delivery path: the rules' targets, the delivery queues' redrive policies, the event source mappings. */
interface DeliveryPath {
  readonly rules: number;
  readonly rulesToQueues: number;
  /** The rules that reach no stage (forwarding, archive), with their targets. */
  readonly others: readonly string[];
  readonly deliveryQueues: number;
  readonly withRedrive: number;
  readonly mappings: number;
  readonly reportingBatchItemFailures: number;
}

/**
 * Reads back, over the wire, the SQS delivery path the stack created: every rule (on the pipeline's
 * bus and the schedule rules on `default`) and its targets, every `-deliveries` queue's redrive
 * policy, and Lambda's event source mappings (moto's Lambda REST API; no Lambda client here).
 */
async function deliveryPath(moto: MotoServer): Promise<DeliveryPath> {
  const events = new EventBridgeClient(moto.clientConfig);
  const sqs = new SQSClient(moto.clientConfig);
  try {
    let rules = 0;
    let rulesToQueues = 0;
    const others: string[] = [];
    for (const bus of [STACK.toLowerCase(), 'default']) {
      for (const rule of (await events.send(new ListRulesCommand({ EventBusName: bus }))).Rules ?? []) {
        const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: bus }))).Targets ?? [];
        // The forwarding rule targets the pipeline's bus, and the archive's own rule (moto's, `Events-Archive-…`) the archive: neither reaches a stage.
        if (targets.length === 0 || targets.every((t) => /:event-bus\//.test(t.Arn ?? '')) || (rule.Name ?? '').startsWith('Events-Archive-')) {
          others.push(`${rule.Name ?? '?'} → ${targets.map((t) => t.Arn ?? '?').join(', ') || 'no target'}`);
          continue;
        }
        rules += 1;
        if (targets.every((t) => /^arn:aws:sqs:.*-deliveries$/.test(t.Arn ?? '') && t.RetryPolicy !== undefined && t.DeadLetterConfig?.Arn !== undefined)) rulesToQueues += 1;
      }
    }
    const urls = ((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).filter((u) => u.endsWith('-deliveries'));
    let withRedrive = 0;
    for (const QueueUrl of urls) {
      const policy = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }))).Attributes?.RedrivePolicy;
      if (policy !== undefined && /"maxReceiveCount":\s*"?\d+/.test(policy)) withRedrive += 1;
    }
    const listed = (await (await fetch(`${moto.endpoint}/2015-03-31/event-source-mappings/`, { headers: { authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${MOTO_REGION}/lambda/aws4_request, SignedHeaders=host, Signature=0` } })).json()) as { EventSourceMappings?: { EventSourceArn?: string; FunctionResponseTypes?: string[] }[] };
    const mappings = (listed.EventSourceMappings ?? []).filter((m) => (m.EventSourceArn ?? '').endsWith('-deliveries'));
    return { rules, rulesToQueues, others, deliveryQueues: urls.length, withRedrive, mappings: mappings.length, reportingBatchItemFailures: mappings.filter((m) => (m.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures')).length };
  } finally {
    events.destroy();
    sqs.destroy();
  }
}

async function main(): Promise<number> {
  const moto = await startMoto();
  const out = await mkdtemp(path.join(os.tmpdir(), 'tributary-emulator-cdk-'));
  try {
    process.stdout.write(`moto ${moto.endpoint}; cdk output ${out}\n`);
    const env = { ...process.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: MOTO_REGION, AWS_DEFAULT_REGION: MOTO_REGION, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: '1' };
    if ((await cdk(['bootstrap', `aws://${MOTO_ACCOUNT}/${MOTO_REGION}`, '--output', out], env)) !== 0) return 1;
    // The deploy checks the bootstrap version in SSM; moto's bootstrap stack may leave it out.
    const parameter = `/cdk-bootstrap/${QUALIFIER}/version`;
    if ((await ssm(moto, 'GetParameter', { Name: parameter })).status !== 200) await ssm(moto, 'PutParameter', { Name: parameter, Type: 'String', Value: '30' });
    const deployed = await cdk(['deploy', STACK, '--require-approval', 'never', '--output', out, '-c', `forecastImage=${FORECAST_IMAGE}`, '-c', 'alertEmail=oncall@example.com'], env);
    const { verdicts, stackStatus } = await report(moto, path.join(out, `${STACK}.template.json`));
    print(verdicts, stackStatus);
    const created = deployed === 0 && stackStatus.endsWith('COMPLETE') && !stackStatus.includes('ROLLBACK');
    if (!created) return 1;
    const delivery = await deliveryPath(moto);
    process.stdout.write(
      `\ndelivery path as moto holds it: ${delivery.rulesToQueues}/${delivery.rules} stage rules target a delivery queue (with a retry policy and a DLQ); ` +
        `${delivery.withRedrive}/${delivery.deliveryQueues} delivery queues have a redrive policy; ` +
        `${delivery.reportingBatchItemFailures}/${delivery.mappings} event source mappings report batch item failures\n` +
        delivery.others.map((o) => `  rule reaching no stage: ${o}\n`).join(''),
    );
    const complete = delivery.rules > 0 && delivery.rulesToQueues === delivery.rules && delivery.withRedrive === delivery.deliveryQueues && delivery.mappings === delivery.deliveryQueues && delivery.reportingBatchItemFailures === delivery.mappings;
    return complete ? 0 : 1;
  } finally {
    await writeFile(MOTO_LOG, moto.output());
    process.stdout.write(`moto's log: ${MOTO_LOG}\n`);
    await moto.close();
    await rm(out, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`deploy:emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
