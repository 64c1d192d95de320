import type { DomainEventInput } from '../../events/publisher';
import type { DomainEventPublisher } from '../ports/domain-event-publisher';
import { DependencyError } from './stage-error';

/**
 * Publishes a stage's announcements and fails the stage (retryably) if any entry was not accepted
 * after the publisher's own retries: an announcement is the stage's result, and a delivery the bus
 * retries is the only way it is not lost. Consumers are idempotent, so a resent event is harmless.
 */
export async function publishOrRetry(publisher: DomainEventPublisher, events: readonly DomainEventInput[]): Promise<void> {
  const result = await publisher.publish(events);
  if (result.failed.length > 0) {
    const reasons = result.failed.map((f) => `${events[f.index]?.detailType ?? '?'}: ${f.errorCode} ${f.errorMessage}`).join('; ');
    throw new DependencyError(`could not publish ${result.failed.length} event(s): ${reasons}`, { retryable: true });
  }
}
