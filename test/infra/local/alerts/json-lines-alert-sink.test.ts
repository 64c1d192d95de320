import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonLinesAlertSink } from '../../../../infra/local/alerts/json-lines-alert-sink';
import { alertFor, alertSinkContract, stageFailed, type ReceivedAlert } from '../../../handlers/ports/alert-sink.contract';

async function readLines(file: string): Promise<ReceivedAlert[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as ReceivedAlert);
}

alertSinkContract('JsonLinesAlertSink', async () => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-alerts-'));
  const sink = new JsonLinesAlertSink({ home });
  return {
    sink,
    received: async () => (await readLines(sink.file)).map(({ title, body, detail }) => ({ title, body, detail })),
    breakDestination: async () => {
      await fs.rm(sink.file);
      await fs.mkdir(sink.file);
    },
    close: () => fs.rm(home, { recursive: true, force: true }),
  };
});

describe('JsonLinesAlertSink', () => {
  let home: string;
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-alerts-'));
  });
  afterEach(() => fs.rm(home, { recursive: true, force: true }));

  it('appends to $TRIBUTARY_HOME/alerts.jsonl, keeping earlier lines, with a timestamp per alert', async () => {
    const file = path.join(home, 'alerts.jsonl');
    await fs.writeFile(file, '{"earlier":true}\n');
    await new JsonLinesAlertSink({ home }).send(alertFor(1));
    await new JsonLinesAlertSink({ home }).send(alertFor(2));
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ earlier: true });
    expect(lines.slice(1)).toEqual([1, 2].map((n) => ({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), title: alertFor(n).title, body: alertFor(n).body, detail: stageFailed(n) })));
  });
});
