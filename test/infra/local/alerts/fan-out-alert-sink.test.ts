import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FanOutAlertSink } from '../../../../infra/local/alerts/fan-out-alert-sink';
import { JsonLinesAlertSink } from '../../../../infra/local/alerts/json-lines-alert-sink';
import { WebhookAlertSink } from '../../../../infra/local/alerts/webhook-alert-sink';
import { AlertDeliveryError } from '../../../../handlers/ports/alert-sink-errors';
import { alertFor, alertSinkContract, type ReceivedAlert } from '../../../handlers/ports/alert-sink.contract';
import { startWebhookServer } from './webhook-server';

alertSinkContract('FanOutAlertSink (file + webhook; read back from the webhook)', async () => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-fanout-'));
  const server = await startWebhookServer();
  return {
    sink: new FanOutAlertSink([new JsonLinesAlertSink({ home }), new WebhookAlertSink({ url: server.url })]),
    received: async () => server.bodies.map((b) => b as ReceivedAlert),
    breakDestination: async () => {
      server.status = 502;
    },
    close: async () => {
      await server.close();
      await fs.rm(home, { recursive: true, force: true });
    },
  };
});

describe('FanOutAlertSink', () => {
  it('delivers to the healthy sinks even when one fails, and says which failed', async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-fanout-'));
    const server = await startWebhookServer();
    try {
      server.status = 500;
      const file = new JsonLinesAlertSink({ home });
      const error = await new FanOutAlertSink([new WebhookAlertSink({ url: server.url }), file]).send(alertFor(1)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AlertDeliveryError);
      expect(error).toMatchObject({ sink: 'fan-out', retryable: true, message: expect.stringMatching(/1 of 2 alert sinks failed: webhook .* answered 500/) });
      expect((await fs.readFile(file.file, 'utf8')).trim().split('\n')).toHaveLength(1);
    } finally {
      await server.close();
      await fs.rm(home, { recursive: true, force: true });
    }
  });

  it('is poison only when every failure is poison', async () => {
    const poison = { send: () => Promise.reject(new AlertDeliveryError('misconfigured', { sink: 'x', retryable: false })) };
    await expect(new FanOutAlertSink([poison, poison]).send(alertFor(1))).rejects.toMatchObject({ retryable: false });
    await expect(new FanOutAlertSink([]).send(alertFor(1))).resolves.toBeUndefined();
  });
});
