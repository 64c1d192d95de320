import type { Alert, AlertSink } from '../../../handlers/ports/alert-sink';
import { AlertDeliveryError } from '../../../handlers/ports/alert-sink-errors';

/** The line that opens every console alert block; tools can split a log on it. */
export const CONSOLE_ALERT_MARKER = '=== TRIBUTARY ALERT ===';

/**
 * Writes each alert to a stream (stderr by default) as one readable block, written in a single call so
 * concurrent alerts never interleave: a marker line, the title, the body, a `detail:` line with the
 * StageFailed detail as JSON, and a closing rule. A failed write rejects (retryable) instead of
 * surfacing as an unhandled stream error.
 */
export class ConsoleAlertSink implements AlertSink {
  constructor(private readonly stream: NodeJS.WritableStream = process.stderr) {}

  send(alert: Alert): Promise<void> {
    const block = [CONSOLE_ALERT_MARKER, alert.title, '', alert.body.trimEnd(), '', `detail: ${JSON.stringify(alert.detail)}`, '='.repeat(CONSOLE_ALERT_MARKER.length), ''].join('\n');
    return new Promise((resolve, reject) => {
      const onError = (): void => undefined;
      this.stream.on('error', onError);
      this.stream.write(block, (error) => {
        setImmediate(() => this.stream.removeListener('error', onError));
        if (error) reject(new AlertDeliveryError(`could not write the alert to the console: ${error.message}`, { sink: 'console', retryable: true, cause: error }));
        else resolve();
      });
    });
  }
}
