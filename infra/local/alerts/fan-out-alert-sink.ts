import type { Alert, AlertSink } from '../../../handlers/ports/alert-sink';
import { AlertDeliveryError } from '../../../handlers/ports/alert-sink-errors';

/**
 * Sends each alert to every sink at once. One sink failing does not stop the others; if any failed,
 * it rejects with an AlertDeliveryError listing them, retryable when any failure is (a retry resends
 * to every sink, so the healthy ones may see the alert twice: delivery is at least once).
 */
export class FanOutAlertSink implements AlertSink {
  constructor(private readonly sinks: readonly AlertSink[]) {}

  async send(alert: Alert): Promise<void> {
    const outcomes = await Promise.allSettled(this.sinks.map((sink) => sink.send(alert)));
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    if (failures.length === 0) return;
    const retryable = failures.some((f: unknown) => !(f instanceof AlertDeliveryError) || f.retryable);
    const reasons = failures.map((f: unknown) => (f instanceof Error ? f.message : String(f)));
    throw new AlertDeliveryError(`${failures.length} of ${this.sinks.length} alert sinks failed: ${reasons.join('; ')}`, {
      sink: 'fan-out',
      retryable,
      cause: new AggregateError(failures),
    });
  }
}
