import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { StageId } from '../../../../events/stage-ids';
import type { Needs } from '../../../../handlers/stage-needs';
import { stageDefinitions } from '../../../../handlers/stages';
import { RuntimeEnvName } from '../../../../infra/aws/lambda/runtime-env';
import { bundledCode, STAGE_ENTRY } from '../../../../infra/aws/constructs/stage-functions';
import { repositoryRoot } from '../synth-stack';

/** The SDK client package each declared port is served by on AWS (written out here, not taken from the root). */
function clientsOf(needs: Needs): string[] {
  // Every stage consumes its rules' SQS delivery queues (backoff by ChangeMessageVisibility).
  const out = new Set<string>(['client-sqs']);
  if (needs.zones) out.add('client-s3');
  if (needs.catalog || needs.crawler) out.add('client-glue');
  if (needs.query) out.add('client-athena');
  if (needs.transform) out.add('client-sagemaker');
  if (needs.runs || needs.jobs || needs.idempotency) out.add('client-dynamodb');
  if (needs.publisher) out.add('client-eventbridge');
  if (needs.alerts) out.add('client-sns');
  return [...out].sort();
}

/** Loads the bundle as Lambda would, waits for its ports, and prints the `@aws-sdk/client-*` packages required meanwhile. */
const PROBE = `
const Module = require('node:module');
const seen = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  const m = /^@aws-sdk\\/(client-[a-z0-9-]+)/.exec(request);
  if (m) seen.add(m[1]);
  return load.call(this, request, ...rest);
};
require(process.argv[1]).ports.then(() => process.stdout.write(JSON.stringify([...seen].sort())), (e) => { process.stderr.write(String(e)); process.exit(1); });
`;

/**
 * The stage functions' code, bundled by esbuild with the settings the stack's NodejsFunction uses
 * (the SDK external, as the Lambda runtime provides it): started as each stage, it loads exactly the
 * SDK clients of the ports that stage declares (register-landing never loads Glue, Athena or SageMaker).
 */
describe('the stage functions bundle', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-bundle-'));
  const outfile = path.join(dir, 'index.js');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads, for each stage, only the SDK clients of its declared ports', () => {
    const bundling = bundledCode(repositoryRoot).bundling;
    buildSync({ entryPoints: [path.join(repositoryRoot, STAGE_ENTRY)], bundle: true, platform: 'node', target: bundling?.target, format: 'cjs', external: bundling?.externalModules, outfile, logLevel: 'silent' });
    expect(statSync(outfile).size).toBeGreaterThan(0);
    const env = { PATH: process.env.PATH ?? '', NODE_PATH: path.join(repositoryRoot, 'node_modules'), AWS_REGION: 'us-east-1', [RuntimeEnvName.Prefix]: 'tributary', [RuntimeEnvName.Bus]: 'tributary', [RuntimeEnvName.RawBucket]: 'raw', [RuntimeEnvName.RefinedBucket]: 'refined', [RuntimeEnvName.ForecastBucket]: 'forecast', [RuntimeEnvName.QuarantineBucket]: 'quarantine', [RuntimeEnvName.RefineWorkgroup]: 'tributary', [RuntimeEnvName.ReadWorkgroup]: 'tributary-read', [RuntimeEnvName.RunTable]: 'runs', [RuntimeEnvName.IdempotencyTable]: 'idempotency', [RuntimeEnvName.AlertTopicArn]: 'arn:aws:sns:us-east-1:123456789012:alerts' };
    const loaded = Object.values(StageId).map((stage) => ({ stage, clients: JSON.parse(execFileSync(process.execPath, ['-e', PROBE, outfile], { env: { ...env, [RuntimeEnvName.Stage]: stage }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as string[] }));
    expect(loaded).toEqual(Object.values(StageId).map((stage) => ({ stage, clients: clientsOf(stageDefinitions[stage].needs) })));
    expect(loaded.find((l) => l.stage === StageId.RegisterLanding)?.clients).toEqual(['client-dynamodb', 'client-eventbridge', 'client-s3', 'client-sqs']);
    expect(loaded.find((l) => l.stage === StageId.Alert)?.clients).toEqual(['client-sns', 'client-sqs']);
  });
});
