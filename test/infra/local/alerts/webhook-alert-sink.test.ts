import { WebhookAlertSink } from '../../../../infra/local/alerts/webhook-alert-sink';
import { alertFor, alertSinkContract, stageFailed } from '../../../handlers/ports/alert-sink.contract';
import { startWebhookServer, type WebhookServer } from './webhook-server';

alertSinkContract('WebhookAlertSink (real HTTP on 127.0.0.1)', async () => {
  const server = await startWebhookServer();
  return {
    sink: new WebhookAlertSink({ url: server.url }),
    received: async () => server.bodies.map((b) => b as { title: string; body: string; detail: unknown }),
    breakDestination: async () => {
      server.status = 503;
    },
    close: () => server.close(),
  };
});

describe('WebhookAlertSink', () => {
  let server: WebhookServer;
  beforeEach(async () => {
    server = await startWebhookServer();
  });
  afterEach(() => server.close());

  it('POSTs JSON with a JSON content type', async () => {
    await new WebhookAlertSink({ url: server.url }).send(alertFor(3));
    expect(server.requests).toEqual([{ method: 'POST', contentType: 'application/json' }]);
    expect(server.bodies).toEqual([{ title: alertFor(3).title, body: alertFor(3).body, detail: stageFailed(3) }]);
  });

  it.each([400, 404, 429, 500])('treats a %i answer as a retryable failure naming the status', async (status) => {
    server.status = status;
    await expect(new WebhookAlertSink({ url: server.url }).send(alertFor(1))).rejects.toMatchObject({ retryable: true, sink: 'webhook', message: expect.stringContaining(`answered ${status}`) });
  });

  it('treats a refused connection and a timeout as retryable', async () => {
    const url = server.url;
    server.delayMs = 500;
    await expect(new WebhookAlertSink({ url, timeoutMs: 50 }).send(alertFor(1))).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/unreachable/) });
    await server.close();
    await expect(new WebhookAlertSink({ url }).send(alertFor(1))).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/unreachable/) });
    server = await startWebhookServer();
  });

  it('rejects a URL that is not http(s) when built, as poison', () => {
    expect(() => new WebhookAlertSink({ url: 'file:///etc/passwd' })).toThrow(/must be http\(s\)/);
    expect(() => new WebhookAlertSink({ url: 'not a url' })).toThrow();
  });
});
