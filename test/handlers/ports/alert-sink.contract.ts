import type { StageFailedDetail } from '../../../contracts/domain-events';
import type { Alert, AlertSink } from '../../../handlers/ports/alert-sink';

/** An alert as read back from a sink's destination. */
export interface ReceivedAlert {
  readonly title: string;
  readonly body: string;
  readonly detail: unknown;
}

/** What a contract run needs from an adapter: the sink, a way to read its destination, and a way to break it. */
export interface AlertSinkHarness {
  readonly sink: AlertSink;
  /** Every alert the destination holds so far, in arrival order. */
  received(): Promise<ReceivedAlert[]>;
  /** Makes the destination refuse further alerts (needed unless `skipBrokenDestination` is given). */
  breakDestination(): Promise<void>;
  close(): Promise<void>;
}

/** A valid StageFailed detail, distinct per `n`. */
export function stageFailed(n: number): StageFailedDetail {
  return {
    schemaVersion: 1,
    stage: 'register-landing',
    dataset: 'traffic',
    zone: 'raw',
    runId: `run-${n}`,
    object: { bucket: 'tributary-raw', key: `traffic/part-${n}.jsonl`, etag: 'd41d8cd98f00b204e9800998ecf8427e', size: 0 },
    errorClass: 'input',
    errorName: 'ContractViolationError',
    message: `line ${n}: expected a JSON object`,
    retryable: false,
    inspect: `tributary runs show run-${n}`,
    occurredAt: '2024-01-02T03:04:05Z',
  };
}

/** An alert with a multi-line, non-ASCII body, distinct per `n`. */
export function alertFor(n: number): Alert {
  return {
    title: `[tributary] register-landing failed for traffic (run-${n})`,
    body: `Stage register-landing failed on s3://tributary-raw/traffic/part-${n}.jsonl\nerror: ContractViolationError — line ${n}\n\n  inspect: tributary runs show run-${n} ✓`,
    detail: stageFailed(n),
  };
}

/**
 * The one contract suite of AlertSink: an alert arrives whole (title, body, full StageFailed detail),
 * concurrent alerts arrive intact and once each, and a destination that refuses fails the send with an
 * error that says it is retryable.
 */
export function alertSinkContract(
  adapter: string,
  makeHarness: () => Promise<AlertSinkHarness>,
  options: { /** Why the destination cannot be broken; skips that case. */ skipBrokenDestination?: string } = {},
): void {
  describe(`AlertSink contract: ${adapter}`, () => {
    let h: AlertSinkHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('delivers an alert whole: title, multi-line body and the StageFailed detail', async () => {
      await h.sink.send(alertFor(1));
      expect(await h.received()).toEqual([{ title: alertFor(1).title, body: alertFor(1).body, detail: stageFailed(1) }]);
    });

    it('delivers concurrent alerts intact and once each', async () => {
      await Promise.all(Array.from({ length: 25 }, (_, i) => h.sink.send(alertFor(i))));
      const received = await h.received();
      expect(received).toHaveLength(25);
      const byRun = new Map(received.map((r) => [JSON.stringify(r.detail), r]));
      for (let i = 0; i < 25; i += 1) expect(byRun.get(JSON.stringify(stageFailed(i)))).toEqual({ title: alertFor(i).title, body: alertFor(i).body, detail: stageFailed(i) });
    });

    const brokenTitle = 'rejects with a retryable error when the destination refuses the alert';
    const broken = async (): Promise<void> => {
      await h.sink.send(alertFor(1));
      await h.breakDestination();
      await expect(h.sink.send(alertFor(2))).rejects.toMatchObject({ retryable: true, message: expect.any(String) });
    };
    if (options.skipBrokenDestination === undefined) it(brokenTitle, broken);
    else it.skip(`${brokenTitle} (skipped: ${options.skipBrokenDestination})`, broken);
  });
}
