import { DomainDetailType } from '../../../contracts/domain-events';
import type { DomainEventInput, PublishResult } from '../../../events/publisher';
import { publishOrRetry } from '../../../handlers/stage-kit/publish-or-retry';
import { classifyError, DependencyError } from '../../../handlers/stage-kit/stage-error';

const event: DomainEventInput = {
  detailType: DomainDetailType.RawLanded,
  detail: { schemaVersion: 1, runId: 'run-1', dataset: 'traffic', object: { bucket: 'tributary-raw', key: 'traffic/a.jsonl', etag: 'e', size: 1 } },
};
const publisherAnswering = (result: PublishResult) => ({ publish: async () => result });

describe('publishOrRetry', () => {
  it('resolves when every event was accepted', async () => {
    await expect(publishOrRetry(publisherAnswering({ eventIds: ['id-1'], failed: [] }), [event])).resolves.toBeUndefined();
  });

  it('fails retryably, naming the event and the error, when an entry was not accepted', async () => {
    const call = publishOrRetry(publisherAnswering({ eventIds: [undefined], failed: [{ index: 0, errorCode: 'InternalFailure', errorMessage: 'after 5 attempts' }] }), [event]);
    await expect(call).rejects.toThrow(DependencyError);
    await expect(call).rejects.toThrow('could not publish 1 event(s): RawLanded: InternalFailure after 5 attempts');
    expect(classifyError(await call.catch((e: unknown) => e)).retryable).toBe(true);
  });
});
