/**
 * An alert could not be delivered by a sink (the one error of the AlertSink port). `retryable` tells the caller whether sending the same
 * alert again may work (webhook down or answering non-2xx, disk busy) or never will (bad configuration).
 */
export class AlertDeliveryError extends Error {
  readonly retryable: boolean;
  /** The sink that failed (`console`, `file`, `webhook`, `fan-out`). */
  readonly sink: string;

  constructor(message: string, options: { sink: string; retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.sink = options.sink;
    this.retryable = options.retryable;
  }
}
