import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import * as path from 'node:path';
import { StageId } from '../../../../events/stage-ids';
import { AthenaQueryEngine } from '../../../../infra/aws/adapters/athena-query-engine';
import { S3ObjectStore } from '../../../../infra/aws/adapters/s3-object-store';
import { awsStageDeps, awsTopology } from '../../../../infra/aws/lambda/aws-stage-deps';
import { JsRawFileInspector } from '../../../../infra/aws/inspect/js-raw-file-inspector';
import { readRuntimeEnv, RuntimeEnvName } from '../../../../infra/aws/lambda/runtime-env';

const env = {
  [RuntimeEnvName.Stage]: StageId.Alert,
  [RuntimeEnvName.Prefix]: 'tributary',
  [RuntimeEnvName.Bus]: 'tributary',
  [RuntimeEnvName.RawBucket]: 'tributary-raw-abc',
  [RuntimeEnvName.RefinedBucket]: 'tributary-refined-abc',
  [RuntimeEnvName.ForecastBucket]: 'tributary-forecast-abc',
  [RuntimeEnvName.QuarantineBucket]: 'tributary-quarantine-abc',
  [RuntimeEnvName.RefineWorkgroup]: 'tributary',
  [RuntimeEnvName.ReadWorkgroup]: 'tributary-read',
  [RuntimeEnvName.RunTable]: 'runs',
  [RuntimeEnvName.IdempotencyTable]: 'idempotency',
  [RuntimeEnvName.AlertTopicArn]: 'arn:aws:sns:us-east-1:123456789012:tributary-alerts',
};

describe('the AWS composition root', () => {
  it('reads its settings from the environment and names every missing or bad variable', () => {
    expect(readRuntimeEnv({ ...env, UNRELATED: 'x' })).toEqual({ ...env, [RuntimeEnvName.ModelNames]: {} });
    expect(readRuntimeEnv({ ...env, [RuntimeEnvName.ModelNames]: '{"traffic-forecast":"Model-1"}' })[RuntimeEnvName.ModelNames]).toEqual({ 'traffic-forecast': 'Model-1' });
    expect(() => readRuntimeEnv({ ...env, [RuntimeEnvName.ModelNames]: 'traffic-forecast' })).toThrow('TRIBUTARY_MODEL_NAMES: expected a JSON object of model names');
    const { [RuntimeEnvName.RunTable]: _dropped, ...missing } = env;
    expect(() => readRuntimeEnv({ ...missing, [RuntimeEnvName.Stage]: 'nope' })).toThrow(/TRIBUTARY_STAGE.*TRIBUTARY_RUN_TABLE|TRIBUTARY_RUN_TABLE.*TRIBUTARY_STAGE/);
  });

  it('builds the topology the stages see from the same names the stack sets', () => {
    expect(awsTopology(readRuntimeEnv(env))).toEqual({
      names: { busName: 'tributary', rawBucket: 'tributary-raw-abc', resourcePrefix: 'tributary', athenaWorkgroup: 'tributary' },
      buckets: { raw: 'tributary-raw-abc', refined: 'tributary-refined-abc', forecast: 'tributary-forecast-abc', quarantine: 'tributary-quarantine-abc' },
      readWorkgroup: 'tributary-read',
    });
  });

  it('wires the AWS adapters: the object store serves exactly the lake buckets, queries run in our workgroups, events go to our bus', async () => {
    const deps = awsStageDeps(readRuntimeEnv(env), undefined, path.join(__dirname, '..', '..', '..', '..', 'sql'));
    expect(deps.objects).toBeInstanceOf(S3ObjectStore);
    await expect(deps.objects.putObject('someone-else', 'k', 'x')).rejects.toMatchObject({ code: 'NoSuchBucket' });
    expect(deps.query).toBeInstanceOf(AthenaQueryEngine);
    const engine = deps.query as AthenaQueryEngine;
    expect([engine.workGroupFor('tributary-read'), engine.workGroupFor('primary'), engine.workGroupFor(undefined)]).toEqual(['tributary-read', 'tributary', 'tributary']);
    expect(await deps.datasets.listDatasets()).toContain('traffic');
    // register-landing reads CSV, JSON and Parquet without DuckDB.
    expect(deps.inspector).toBeInstanceOf(JsRawFileInspector);
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    try {
      await deps.publisher.publish([{ detailType: 'RawLanded', detail: { schemaVersion: 1, runId: 'run-1', dataset: 'traffic', object: { bucket: 'tributary-raw-abc', key: 'traffic/a.jsonl', etag: 'd41d8cd98f00b204e9800998ecf8427e', size: 1 } } }]);
      expect(eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]).toMatchObject({ EventBusName: 'tributary', Source: 'tributary.pipeline', DetailType: 'RawLanded' });
    } finally {
      eventBridge.restore();
    }
  });
});
