import type { Alert, AlertSink } from '../../../handlers/ports/alert-sink';
import { AlertDeliveryError } from '../../../handlers/ports/alert-sink-errors';

/**
 * POSTs each alert as JSON (`{title, body, detail}`) to an HTTP(S) webhook. Any non-2xx answer, a
 * network error or a timeout rejects with a retryable AlertDeliveryError (the receiver may be
 * restarting); a URL that is not http(s) is rejected at construction.
 */
export class WebhookAlertSink implements AlertSink {
  private readonly url: URL;
  private readonly timeoutMs: number;

  constructor(options: { url: string; timeoutMs?: number }) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new AlertDeliveryError(`webhook URL must be http(s), got ${JSON.stringify(options.url)}`, { sink: 'webhook', retryable: false });
    }
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async send(alert: Alert): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: alert.title, body: alert.body, detail: alert.detail }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new AlertDeliveryError(`webhook ${this.url.origin} unreachable: ${error instanceof Error ? error.message : String(error)}`, { sink: 'webhook', retryable: true, cause: error });
    }
    const text = await response.text().catch(() => '');
    if (response.status < 200 || response.status > 299) {
      throw new AlertDeliveryError(`webhook ${this.url.origin} answered ${response.status}: ${text.slice(0, 200)}`, { sink: 'webhook', retryable: true });
    }
  }
}
