import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Alert, AlertSink } from '../../../handlers/ports/alert-sink';
import { resolveHome } from '../lake-paths';
import { AlertDeliveryError } from '../../../handlers/ports/alert-sink-errors';

/**
 * Appends each alert as one JSON line (`{time, title, body, detail}`) to an append-only file,
 * `$TRIBUTARY_HOME/alerts.jsonl` by default, and fsyncs before resolving, so an alert reported sent
 * survives a crash. Each line is written with one append, so concurrent alerts never interleave.
 */
export class JsonLinesAlertSink implements AlertSink {
  readonly file: string;

  constructor(options: { file?: string; home?: string } = {}) {
    this.file = options.file ?? path.join(resolveHome(options.home), 'alerts.jsonl');
  }

  async send(alert: Alert): Promise<void> {
    const line = `${JSON.stringify({ time: new Date().toISOString(), title: alert.title, body: alert.body, detail: alert.detail })}\n`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const handle = await fs.open(this.file, 'a');
      try {
        await handle.write(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new AlertDeliveryError(`could not append the alert to ${this.file}: ${error instanceof Error ? error.message : String(error)}`, { sink: 'file', retryable: true, cause: error });
    }
  }
}
