import { AwsSource } from '../../contracts/aws-events';
import { DomainDetailType, TRIBUTARY_SOURCE } from '../../contracts/domain-events';
import { RuleDispatcher } from '../../events/dispatcher';
import { compilePattern } from '../../events/pattern';
import { batchTriggerRules, datasetOfBatchRule, ruleTable, SCHEDULED_STAGES, serviceForwardingPattern, servicePatterns } from '../../events/rules';
import { StageId } from '../../events/stage-ids';
import { localTopologyNames } from '../../events/topology-names';

const rules = ruleTable();
const dispatcher = new RuleDispatcher(rules);

function envelope(source: string, detailType: string, detail: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', 'detail-type': detailType, source,
    account: '000000000000', time: '2026-11-22T10:00:00Z', region: 'us-east-1', resources: [], detail,
  };
}

const ids = (event: Record<string, unknown>): string[] => dispatcher.match(event).map((r) => r.id);

describe('rule table', () => {
  it('has unique ids, one target stage per row, a retry policy within EventBridge bounds and a DLQ', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(Object.values(StageId)).toContain(r.target);
      expect(r.retryPolicy.maximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(r.retryPolicy.maximumRetryAttempts).toBeLessThanOrEqual(185);
      expect(r.retryPolicy.maximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(r.retryPolicy.maximumEventAgeInSeconds).toBeLessThanOrEqual(86400);
      expect(r.deadLetterQueue).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
      expect(r.eventBusName).toBe(localTopologyNames.busName);
      expect(() => compilePattern(r.pattern)).not.toThrow();
    }
  });

  it('builds every pattern from contract constants: our source or an AWS service source', () => {
    const allowed: string[] = [TRIBUTARY_SOURCE, ...Object.values(AwsSource)];
    for (const r of rules) {
      const sources = r.pattern['source'];
      expect(Array.isArray(sources)).toBe(true);
      for (const s of sources as unknown[]) expect(allowed).toContain(s);
    }
  });

  it('gives every stage at least one subscription, or a schedule (a batch trigger\'s: crawl-batch)', () => {
    const scheduled = Object.keys(SCHEDULED_STAGES);
    expect(scheduled).toEqual([StageId.Watchdog]);
    const batch = batchTriggerRules(localTopologyNames, [{ name: 'hourly', trigger: { schedule: 'rate(1 hour)' } }, { name: 'plain' }]);
    expect(batch.map((b) => [b.ruleName, b.target])).toEqual([['tributary-batch-hourly', StageId.CrawlBatch]]);
    expect(datasetOfBatchRule(localTopologyNames, 'arn:aws:events:us-east-1:000000000000:rule/tributary-batch-hourly')).toBe('hourly');
    expect(datasetOfBatchRule(localTopologyNames, 'arn:aws:events:us-east-1:000000000000:rule/tributary/tributary-batch-hourly')).toBe('hourly');
    expect(datasetOfBatchRule(localTopologyNames, 'arn:aws:events:us-east-1:000000000000:rule/tributary-watchdog-schedule')).toBeUndefined();
    expect(new Set([...rules.map((r) => r.target), ...scheduled, ...batch.map((b) => b.target)])).toEqual(new Set(Object.values(StageId)));
    expect(rules.filter((r) => scheduled.includes(r.target))).toEqual([]);
  });

  it('starts a run on an object created in our raw bucket only', () => {
    const detail = (bucket: string) => ({ version: '0', bucket: { name: bucket }, object: { key: 'traffic/a.jsonl', size: 5, etag: 'e' }, reason: 'PutObject' });
    expect(ids(envelope('aws.s3', 'Object Created', detail('tributary-raw')))).toEqual(['raw-object-created']);
    expect(ids(envelope('aws.s3', 'Object Created', detail('someone-elses-bucket')))).toEqual([]);
  });

  it('routes RefinedWritten to crawl and forecast, raw TableCrawled only to refine, refined TableCrawled to the views and the forecasts that waited for it', () => {
    expect(ids(envelope(TRIBUTARY_SOURCE, DomainDetailType.RefinedWritten, {}))).toEqual(['refined-crawl', 'refined-forecast']);
    expect(ids(envelope(TRIBUTARY_SOURCE, DomainDetailType.TableCrawled, { zone: 'raw' }))).toEqual(['raw-crawled-refine']);
    expect(ids(envelope(TRIBUTARY_SOURCE, DomainDetailType.TableCrawled, { zone: 'refined' }))).toEqual(['refined-publish-views', 'refined-crawled-forecast']);
    expect(ids(envelope(TRIBUTARY_SOURCE, DomainDetailType.StageFailed, {}))).toEqual(['stage-failed-alert']);
  });

  it('hears only finished runs of our own crawlers, queries and transform jobs', () => {
    expect(ids(envelope('aws.glue', 'Glue Crawler State Change', { crawlerName: 'tributary-traffic-raw', state: 'Succeeded' }))).toEqual(['crawler-finished']);
    expect(ids(envelope('aws.glue', 'Glue Crawler State Change', { crawlerName: 'tributary-traffic-raw', state: 'Started' }))).toEqual([]);
    expect(ids(envelope('aws.glue', 'Glue Crawler State Change', { crawlerName: 'other', state: 'Succeeded' }))).toEqual([]);
    expect(ids(envelope('aws.athena', 'Athena Query State Change', { workgroupName: 'tributary', currentState: 'FAILED' }))).toEqual(['refine-query-finished']);
    expect(ids(envelope('aws.athena', 'Athena Query State Change', { workgroupName: 'primary', currentState: 'SUCCEEDED' }))).toEqual([]);
    expect(ids(envelope('aws.sagemaker', 'SageMaker Transform Job State Change', { TransformJobName: 'tributary-traffic-1', TransformJobStatus: 'Completed' }))).toEqual(['transform-finished']);
    expect(ids(envelope('aws.sagemaker', 'SageMaker Transform Job State Change', { TransformJobName: 'tributary-traffic-1', TransformJobStatus: 'InProgress' }))).toEqual([]);
  });

  it('forwards from the default bus exactly the service events some row consumes', () => {
    const forward = compilePattern(serviceForwardingPattern(localTopologyNames));
    expect(Object.values(servicePatterns(localTopologyNames)).length).toBe(4);
    expect(forward(envelope('aws.glue', 'Glue Crawler State Change', { crawlerName: 'tributary-x-raw', state: 'Failed' }))).toBe(true);
    expect(forward(envelope('aws.s3', 'Object Created', { bucket: { name: 'tributary-raw' } }))).toBe(true);
    expect(forward(envelope('aws.glue', 'Glue Job State Change', { jobName: 'tributary-x', state: 'FAILED' }))).toBe(false);
    expect(forward(envelope(TRIBUTARY_SOURCE, DomainDetailType.RawLanded, {}))).toBe(false);
  });
});
