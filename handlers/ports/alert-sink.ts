import type { StageFailedDetail } from '../../contracts/domain-events';

/**
 * An alert: the `StageFailed` detail it is about, plus a title and body rendered for a human.
 * The detail travels whole so a sink that feeds a machine (file, webhook) loses nothing.
 */
export interface Alert {
  readonly title: string;
  readonly body: string;
  readonly detail: StageFailedDetail;
}

/**
 * Where alerts go (on AWS an SNS topic; locally the console, an alerts file, a webhook). `send`
 * resolves once the alert is delivered (durably, for a file) and rejects with an error carrying
 * `retryable`, so the alert stage knows whether the bus should retry it.
 */
export interface AlertSink {
  send(alert: Alert): Promise<void>;
}
