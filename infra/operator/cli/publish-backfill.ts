import { DomainDetailType, type BackfillRequestedDetail } from '../../../contracts/domain-events';
import type { EmbeddedRuntime } from '../../local/runtime/embedded-runtime';

/** Publishes a `BackfillRequested` through the runtime's publisher (validated against its contract); throws when the bus refused it. */
export async function publishBackfill(runtime: Pick<EmbeddedRuntime, 'deps'>, detail: BackfillRequestedDetail): Promise<void> {
  const result = await runtime.deps.publisher.publish([{ detailType: DomainDetailType.BackfillRequested, detail }]);
  if (result.failed.length > 0) throw new Error(`the bus refused the BackfillRequested event: ${JSON.stringify(result.failed)}`);
}
