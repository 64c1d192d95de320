import type { z } from 'zod';
import { ContractViolationError, parseContract } from '../../contracts/contract-violation-error';
import {
  DomainDetailType,
  domainEventEnvelopeRegistry,
  domainEventRegistry,
  ErrorClass,
  ForecastReadyEventSchema,
  isDomainDetailType,
  parseDomainEvent,
  RawLandedEventSchema,
  RefinedWrittenEventSchema,
  StageFailedEventSchema,
  TableCrawledEventSchema,
  TRIBUTARY_SOURCE,
} from '../../contracts/domain-events';
import { DELETE, errorOf, loadEvent, withChange } from './fixtures';

const fixtureOf: Record<DomainDetailType, string> = {
  RawLanded: 'domain/raw-landed.json',
  TableCrawled: 'domain/table-crawled.json',
  RefinedWritten: 'domain/refined-written.json',
  ForecastReady: 'domain/forecast-ready.json',
  StageFailed: 'domain/stage-failed.json',
  BackfillRequested: 'domain/backfill-requested.json',
};
const allTypes = Object.values(DomainDetailType);

describe('domain event constants and registry', () => {
  it('uses the tributary source and detail-types equal to their keys', () => {
    expect(TRIBUTARY_SOURCE).toBe('tributary.pipeline');
    for (const [key, value] of Object.entries(DomainDetailType)) expect(value).toBe(key);
  });

  it('registers exactly the six domain events, in both registries', () => {
    const expected = ['RawLanded', 'TableCrawled', 'RefinedWritten', 'ForecastReady', 'StageFailed', 'BackfillRequested'].sort();
    expect(Object.keys(domainEventRegistry).sort()).toEqual(expected);
    expect(Object.keys(domainEventEnvelopeRegistry).sort()).toEqual(expected);
    expect(allTypes.sort()).toEqual(expected);
  });

  it.each(allTypes)('the %s detail schema parses its example detail and the envelope schema the whole event', (detailType) => {
    const event = loadEvent(fixtureOf[detailType]);
    const detailSchema: z.ZodType = domainEventRegistry[detailType];
    expect(detailSchema.parse(event.detail)).toEqual(event.detail);
    const envelopeSchema: z.ZodType = domainEventEnvelopeRegistry[detailType];
    expect(envelopeSchema.parse(event)).toEqual(event);
  });

  it('recognises domain detail-types and nothing else', () => {
    expect(allTypes.every(isDomainDetailType)).toBe(true);
    expect(isDomainDetailType('Object Created')).toBe(false);
    expect(isDomainDetailType('rawlanded')).toBe(false);
  });
});

describe('parseDomainEvent', () => {
  it.each(allTypes)('%s: parses, narrows on detail-type and round-trips byte for byte', (detailType) => {
    const event = loadEvent(fixtureOf[detailType]);
    const parsed = parseDomainEvent(event);
    expect(parsed['detail-type']).toBe(detailType);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(event));
    expect(parseDomainEvent(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
  });

  it('gives consumers a typed detail after narrowing', () => {
    const parsed = parseDomainEvent(loadEvent(fixtureOf.RefinedWritten));
    if (parsed['detail-type'] !== DomainDetailType.RefinedWritten) throw new Error('expected RefinedWritten');
    const rows: number = parsed.detail.rows;
    expect(rows).toBe(1180);
    expect(parsed.detail.partitions[1]).toEqual({ year: '2024', month: '01', day: '02', hour: '03' });
  });

  it('rejects an event from another source, naming source', () => {
    const s3 = loadEvent('s3-object-created.json');
    expect(errorOf(() => parseDomainEvent(s3))).toBe('domain event is invalid: source: expected "tributary.pipeline", received "aws.s3"');
  });

  it('rejects an unknown detail-type, listing the known ones', () => {
    const event = withChange(loadEvent(fixtureOf.RawLanded), ['detail-type'], 'RawLandded');
    expect(errorOf(() => parseDomainEvent(event))).toMatch(/detail-type: unknown "RawLandded" \(known: RawLanded, TableCrawled/);
  });

  it('rejects a broken envelope before looking at the detail', () => {
    expect(errorOf(() => parseDomainEvent('{"version":"0"}'))).toMatch(/^event is invalid: \(root\): expected object, received string/);
    expect(errorOf(() => parseDomainEvent(withChange(loadEvent(fixtureOf.RawLanded), ['time'], 'yesterday')))).toMatch(/time: Invalid ISO datetime/);
  });

  it('throws a poison ContractViolationError', () => {
    let caught: unknown;
    try {
      parseDomainEvent(withChange(loadEvent(fixtureOf.RawLanded), ['detail', 'runId'], ''));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolationError);
    expect((caught as ContractViolationError).retryable).toBe(false);
    expect((caught as ContractViolationError).problems).toEqual(['detail.runId: Too small: expected string to have >=1 characters']);
  });

  const malformed: [DomainDetailType, (string | number)[], unknown, string][] = [
    ['RawLanded', ['detail', 'schemaVersion'], 2, 'detail.schemaVersion: expected 1'],
    ['RawLanded', ['detail', 'dataset'], 'Traffic', 'detail.dataset: expected a lowercase identifier'],
    ['RawLanded', ['detail', 'object', 'size'], -3, 'detail.object.size: Too small'],
    ['RawLanded', ['detail', 'object', 'size'], 1.5, 'detail.object.size: expected int'],
    ['RawLanded', ['detail', 'object', 'etag'], DELETE, 'detail.object.etag: expected string, received undefined'],
    ['RawLanded', ['detail', 'object', 'eventTimeRange', 'from'], '2024-01-02T04:00:00Z', 'detail.object.eventTimeRange.from: from must not be after to'],
    ['TableCrawled', ['detail', 'partitions', 0, 'year'], 2024, 'detail.partitions[0].year: expected string, received number'],
    ['TableCrawled', ['detail', 'partitions', 0, 'day'], '02/03', 'detail.partitions[0].day: partition values may not contain "/" or "="'],
    ['TableCrawled', ['detail', 'partitions', 0], {}, 'detail.partitions[0]: a partition needs at least one key'],
    ['TableCrawled', ['detail', 'zone'], 'quarantine', 'detail.zone: expected one of "raw"|"refined"|"forecast"'],
    ['TableCrawled', ['detail', 'schemaChanged'], 'no', 'detail.schemaChanged: expected array, received string'],
    ['TableCrawled', ['detail', 'runIds', 1], 'run-traffic-3f2a9c', 'detail.runIds: run ids must be unique'],
    ['RefinedWritten', ['detail', 'runIds'], [], 'detail.runIds: runIds may be empty only for a backfill'],
    ['ForecastReady', ['detail', 'runIds'], [], 'detail.runIds: runIds may be empty only for a backfill'],
    ['RefinedWritten', ['detail', 'backfillId'], 'nightly', 'detail.backfillId: expected a backfill id'],
    ['BackfillRequested', ['detail', 'to'], '2026-03-02T07:00:00.000Z', 'detail.to: from must be before to'],
    ['RefinedWritten', ['detail', 'partitions'], [], 'detail.partitions: rows were written but no partition is listed'],
    ['RefinedWritten', ['detail', 'rejectedRows'], -1, 'detail.rejectedRows: Too small'],
    ['RefinedWritten', ['detail', 'rowCounts', 'refined'], 1179, 'detail.rowCounts: read must equal refined + rejected + duplicates'],
    ['RefinedWritten', ['detail', 'rowCounts'], DELETE, 'detail.rowCounts: expected object'],
    ['RefinedWritten', ['detail', 'queryExecutionIds', 0], '', 'detail.queryExecutionIds[0]: Too small'],
    ['ForecastReady', ['detail', 'model', 'version'], DELETE, 'detail.model.version: expected string'],
    ['ForecastReady', ['detail', 'transformJobName'], '', 'detail.transformJobName: Too small'],
    ['StageFailed', ['detail', 'errorClass'], 'oops', `detail.errorClass: expected one of ${Object.values(ErrorClass).map((c) => `"${c}"`).join('|')}`],
    ['StageFailed', ['detail', 'stage'], 'RegisterLanding', 'detail.stage: expected a kebab-case stage id'],
    ['StageFailed', ['detail', 'inspect'], DELETE, 'detail.inspect: expected string'],
    ['StageFailed', ['detail', 'occurredAt'], 1704164759000, 'detail.occurredAt: expected string'],
    ['StageFailed', ['detail', 'retryable'], DELETE, 'detail.retryable: expected boolean'],
  ];

  it.each(malformed)('%s with %j = %j fails naming the path', (detailType, keys, value, message) => {
    const event = withChange(loadEvent(fixtureOf[detailType]), keys, value);
    expect(errorOf(() => parseDomainEvent(event))).toContain(`${detailType} event is invalid: ${message}`);
  });

  it('accepts the documented edge cases: empty partitions with zero rows, a crawl with no runs, a minimal failure', () => {
    const refined = withChange(withChange(loadEvent(fixtureOf.RefinedWritten), ['detail', 'partitions'], []), ['detail', 'rows'], 0);
    expect(parseDomainEvent(refined)['detail-type']).toBe('RefinedWritten');
    const crawled = withChange(loadEvent(fixtureOf.TableCrawled), ['detail', 'runIds'], []);
    expect(parseDomainEvent(crawled)['detail-type']).toBe('TableCrawled');
    const minimal = withChange(loadEvent(fixtureOf.StageFailed), ['detail'], {
      schemaVersion: 1,
      stage: 'alert',
      errorClass: ErrorClass.Delivery,
      errorName: 'DeliveryExhaustedError',
      message: 'gave up after 185 attempts',
      retryable: false,
      inspect: 'tributary dlq list',
      occurredAt: '2024-01-02T03:04:05.123Z',
    });
    expect(parseDomainEvent(minimal)['detail-type']).toBe('StageFailed');
  });

  it('keeps replay-name on a replayed event', () => {
    const replayed = { ...loadEvent(fixtureOf.ForecastReady), 'replay-name': 'backfill-forecast' };
    expect(parseDomainEvent(replayed)['replay-name']).toBe('backfill-forecast');
  });
});

describe('per-event envelope schemas', () => {
  it.each([
    [RawLandedEventSchema, 'RawLanded'],
    [TableCrawledEventSchema, 'TableCrawled'],
    [RefinedWrittenEventSchema, 'RefinedWritten'],
    [ForecastReadyEventSchema, 'ForecastReady'],
    [StageFailedEventSchema, 'StageFailed'],
  ] as const)('%#: rejects the event of another detail-type', (schema, detailType) => {
    const other = detailType === 'RawLanded' ? fixtureOf.StageFailed : fixtureOf.RawLanded;
    expect(errorOf(() => parseContract(schema, loadEvent(other), 'e'))).toContain(`detail-type: expected "${detailType}"`);
  });
});
