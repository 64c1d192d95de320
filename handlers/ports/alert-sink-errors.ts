import { PipelineError } from '../../contracts/pipeline-error';

/**
 * An alert could not be delivered by a sink (the one error of the AlertSink port). `retryable` tells the caller whether sending the same
 * alert again may work (webhook down or answering non-2xx, disk busy) or never will (bad configuration).
 */
export class AlertDeliveryError extends PipelineError {
  /** The sink that failed (`console`, `file`, `webhook`, `fan-out`). */
  readonly sink: string;

  constructor(message: string, options: { sink: string; retryable: boolean; cause?: unknown }) {
    super(message, { retryable: options.retryable, cause: options.cause });
    this.sink = options.sink;
  }
}
