/**
 * The `source` of every event Tributary itself publishes. AWS reserves the `aws.` prefix, so ours
 * can never collide with a service event.
 */
export const TRIBUTARY_SOURCE = 'tributary.pipeline';

/**
 * The `detail-type` of each domain event; keys equal values so rules and code read the same name.
 * Each value has a detail contract in `domainEventRegistry`.
 */
export const DomainDetailType = {
  RawLanded: 'RawLanded',
  TableCrawled: 'TableCrawled',
  RefinedWritten: 'RefinedWritten',
  ForecastReady: 'ForecastReady',
  StageFailed: 'StageFailed',
  BackfillRequested: 'BackfillRequested',
} as const;

/** One domain detail-type. */
export type DomainDetailType = (typeof DomainDetailType)[keyof typeof DomainDetailType];
