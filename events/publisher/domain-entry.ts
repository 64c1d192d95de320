import { formatIssuePath } from '../../contracts/contract-violation-error';
import type { z } from 'zod';
import { domainEventRegistry, isDomainDetailType, TRIBUTARY_SOURCE, type DomainDetailType } from '../../contracts/domain-events';
import type { PutEventsEntry } from '../put-events';
import { InvalidDomainEventError } from './errors';

/**
 * A domain event to publish: its detail-type, the detail (typed by the detail-type's contract), and
 * optional resources and time. The type helps callers; the contract is still checked at run time.
 */
export type DomainEventInput = {
  [K in DomainDetailType]: {
    readonly detailType: K;
    readonly detail: z.input<(typeof domainEventRegistry)[K]>;
    readonly resources?: readonly string[];
    readonly time?: Date;
  };
}[DomainDetailType];

/**
 * Validates a domain event against its contract in `domainEventRegistry` and turns it into a
 * PutEvents entry from `TRIBUTARY_SOURCE`. The detail sent is the contract's parsed output, so what
 * leaves the process is exactly what consumers will parse. Throws InvalidDomainEventError naming the
 * detail-type and the path of every offending field.
 */
export function toDomainEntry(event: DomainEventInput, index: number, eventBusName: string): PutEventsEntry {
  const what = `event ${index} (${event.detailType})`;
  const detailType: string = event.detailType;
  if (!isDomainDetailType(detailType)) {
    const known = Object.keys(domainEventRegistry).join(', ');
    throw new InvalidDomainEventError(what, [`detail-type: unknown ${JSON.stringify(event.detailType)} (known: ${known})`], {
      index,
      detailType: event.detailType,
    });
  }
  const parsed = domainEventRegistry[detailType].safeParse(event.detail);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatIssuePath(['detail', ...issue.path])}: ${issue.message.replace(/^Invalid input: /, '')}`);
    throw new InvalidDomainEventError(what, problems, { index, detailType: event.detailType, cause: parsed.error });
  }
  if (event.time !== undefined && Number.isNaN(event.time.getTime())) {
    throw new InvalidDomainEventError(what, ['time: not a valid date'], { index, detailType: event.detailType });
  }
  return {
    Source: TRIBUTARY_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(parsed.data),
    EventBusName: eventBusName,
    ...(event.resources === undefined ? {} : { Resources: [...event.resources] }),
    ...(event.time === undefined ? {} : { Time: event.time }),
  };
}
