import { z } from 'zod';
import { ContractViolationError, parseContract } from './contract-violation-error';
import { DomainDetailType, TRIBUTARY_SOURCE } from './domain/detail-types';
import { BackfillRequestedDetailSchema, BackfillRequestedEventSchema } from './domain/backfill-requested';
import { ForecastReadyDetailSchema, ForecastReadyEventSchema } from './domain/forecast-ready';
import { RawLandedDetailSchema, RawLandedEventSchema } from './domain/raw-landed';
import { RefinedWrittenDetailSchema, RefinedWrittenEventSchema } from './domain/refined-written';
import { StageFailedDetailSchema, StageFailedEventSchema } from './domain/stage-failed';
import { TableCrawledDetailSchema, TableCrawledEventSchema } from './domain/table-crawled';
import { EventEnvelopeSchema } from './envelope';

export { DomainDetailType, TRIBUTARY_SOURCE } from './domain/detail-types';
export * from './domain/backfill-requested';
export * from './domain/forecast-ready';
export * from './domain/identifiers';
export * from './domain/lake-object';
export * from './domain/partition';
export * from './domain/raw-landed';
export * from './domain/refined-written';
export * from './domain/stage-failed';
export * from './domain/table-crawled';

/**
 * Detail-type -> detail schema for every domain event. The publisher validates each detail here
 * before sending; a detail-type missing from this table cannot be published.
 */
export const domainEventRegistry = {
  [DomainDetailType.RawLanded]: RawLandedDetailSchema,
  [DomainDetailType.TableCrawled]: TableCrawledDetailSchema,
  [DomainDetailType.RefinedWritten]: RefinedWrittenDetailSchema,
  [DomainDetailType.ForecastReady]: ForecastReadyDetailSchema,
  [DomainDetailType.StageFailed]: StageFailedDetailSchema,
  [DomainDetailType.BackfillRequested]: BackfillRequestedDetailSchema,
} as const satisfies Record<DomainDetailType, z.ZodType>;

/** Detail-type -> full envelope schema for every domain event (what consumers parse; what JSON Schema is generated from). */
export const domainEventEnvelopeRegistry = {
  [DomainDetailType.RawLanded]: RawLandedEventSchema,
  [DomainDetailType.TableCrawled]: TableCrawledEventSchema,
  [DomainDetailType.RefinedWritten]: RefinedWrittenEventSchema,
  [DomainDetailType.ForecastReady]: ForecastReadyEventSchema,
  [DomainDetailType.StageFailed]: StageFailedEventSchema,
  [DomainDetailType.BackfillRequested]: BackfillRequestedEventSchema,
} as const satisfies Record<DomainDetailType, z.ZodType>;

/** Any domain event, discriminated by `detail-type`. */
export const DomainEventSchema = z.discriminatedUnion('detail-type', [
  RawLandedEventSchema,
  TableCrawledEventSchema,
  RefinedWrittenEventSchema,
  ForecastReadyEventSchema,
  StageFailedEventSchema,
  BackfillRequestedEventSchema,
]);

/** A parsed domain event; narrow on `event['detail-type']`. */
export type DomainEvent = z.infer<typeof DomainEventSchema>;

const KNOWN_DETAIL_TYPES: ReadonlySet<string> = new Set(Object.values(DomainDetailType));

/** True when `detailType` names a domain event (has a contract in `domainEventRegistry`). */
export function isDomainDetailType(detailType: string): detailType is DomainDetailType {
  return KNOWN_DETAIL_TYPES.has(detailType);
}

/**
 * Parses an envelope from `TRIBUTARY_SOURCE` and its detail by detail-type. Throws a
 * ContractViolationError (poison) naming the offending path, e.g. `detail.partitions[0].year: expected string`.
 */
export function parseDomainEvent(value: unknown): DomainEvent {
  const envelope = parseContract(EventEnvelopeSchema, value, 'event');
  if (envelope.source !== TRIBUTARY_SOURCE) {
    throw new ContractViolationError('domain event', [
      `source: expected ${JSON.stringify(TRIBUTARY_SOURCE)}, received ${JSON.stringify(envelope.source)}`,
    ]);
  }
  const detailType = envelope['detail-type'];
  if (!isDomainDetailType(detailType)) {
    throw new ContractViolationError('domain event', [
      `detail-type: unknown ${JSON.stringify(detailType)} (known: ${[...KNOWN_DETAIL_TYPES].join(', ')})`,
    ]);
  }
  return parseContract(DomainEventSchema, value, `${detailType} event`);
}

