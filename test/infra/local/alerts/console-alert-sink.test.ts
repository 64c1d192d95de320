import { Writable } from 'node:stream';
import { CONSOLE_ALERT_MARKER, ConsoleAlertSink } from '../../../../infra/local/alerts/console-alert-sink';
import { alertFor, alertSinkContract, type ReceivedAlert } from '../../../handlers/ports/alert-sink.contract';

/** A stream that keeps what is written, or fails every write once broken. */
class CapturingStream extends Writable {
  text = '';
  broken = false;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.broken) return callback(new Error('EPIPE: stderr closed'));
    this.text += chunk.toString('utf8');
    callback();
  }
}

/** Reads the console blocks back: marker, title, blank, body…, blank, `detail: {json}`, rule. */
function parseBlocks(text: string): ReceivedAlert[] {
  return text.split(`${CONSOLE_ALERT_MARKER}\n`).slice(1).map((block) => {
    const lines = block.split('\n');
    const detailAt = lines.findIndex((l) => l.startsWith('detail: '));
    return { title: lines[0] ?? '', body: lines.slice(2, detailAt - 1).join('\n'), detail: JSON.parse((lines[detailAt] ?? '').slice('detail: '.length)) };
  });
}

alertSinkContract('ConsoleAlertSink', async () => {
  const stream = new CapturingStream();
  return {
    sink: new ConsoleAlertSink(stream),
    received: async () => parseBlocks(stream.text),
    breakDestination: async () => {
      stream.broken = true;
    },
    close: async () => undefined,
  };
});

describe('ConsoleAlertSink', () => {
  it('writes one readable block per alert', async () => {
    const stream = new CapturingStream();
    await new ConsoleAlertSink(stream).send(alertFor(7));
    expect(stream.text.startsWith(`${CONSOLE_ALERT_MARKER}\n[tributary] register-landing failed for traffic (run-7)\n\nStage register-landing failed`)).toBe(true);
    expect(stream.text).toContain('inspect: tributary runs show run-7');
    expect(stream.text.endsWith(`${'='.repeat(CONSOLE_ALERT_MARKER.length)}\n`)).toBe(true);
  });
});
