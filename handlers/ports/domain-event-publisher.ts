import type { DomainEventInput, PublishResult } from '../../events/publisher';

/**
 * What a stage needs to announce its result: publish typed domain events onto the pipeline's bus.
 *
 * `EventPublisher` (events/publisher.ts) implements it over any bus transport — EventBridge on AWS,
 * the local bus in the embedded default — so stages never see a transport.
 */
export interface DomainEventPublisher {
  publish(events: readonly DomainEventInput[]): Promise<PublishResult>;
}
