import { useEffect, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import { postJson } from '../kit/api';
import { formatTime } from '../kit/format';
import { PagedTable, type Column } from '../kit/paged-table';
import { controlToken } from '../kit/token';
import { useApi } from '../kit/use-api';
import './console-pages.css';
import type { PageProps } from './page-entry';

const DeadLetterSchema = z.object({ queue: z.string(), id: z.string(), sent: z.string(), rule: z.string(), target: z.string(), event: z.string(), eventId: z.string(), error: z.string(), attempts: z.string(), exhausted: z.string(), message: z.string() });
const DeadLettersSchema = z.object({ messages: z.array(DeadLetterSchema) });
const AlertsSchema = z.object({ alerts: z.array(z.object({ time: z.string(), title: z.string(), body: z.string(), detail: z.object({ stage: z.string(), errorClass: z.string(), dataset: z.optional(z.string()), retryable: z.boolean() }) })) });
const RedriveSchema = z.object({ redriven: z.number(), refused: z.array(z.object({ queue: z.string(), id: z.string(), reason: z.string() })) });

type DeadLetter = z.infer<typeof DeadLetterSchema>;
const PAGE = 20;
/** How often the page re-reads the queues and the feed. */
const REFRESH_MS = 5000;

/**
 * Dead letters and alerts: every dead-lettered delivery with EventBridge's error attributes (rule,
 * target, error code and message, retries, why retrying stopped), a redrive of one or all (needs the
 * token; what cannot be redriven stays with the reason), and the alerts feed, newest first.
 */
export function DeadLettersPage(props: PageProps) {
  const letters = useApi('/api/dead-letters', DeadLettersSchema);
  const alerts = useApi('/api/alerts?limit=50', AlertsSchema);
  const [offset, setOffset] = useState(0);
  const [outcome, setOutcome] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const canAct = controlToken() !== undefined;
  useEffect(() => {
    const timer = setInterval(() => {
      letters.reload();
      alerts.reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const redrive = (body: unknown) => {
    setBusy(true);
    setError(undefined);
    postJson('/api/dead-letters/redrive', body, RedriveSchema)
      .then(
        (r) => setOutcome(`Redrove ${r.redriven} message(s)${r.refused.length > 0 ? `; kept ${r.refused.length}: ${r.refused.map((x) => x.reason).join('; ')}` : ''}.`),
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      )
      .finally(() => {
        setBusy(false);
        letters.reload();
        alerts.reload();
      });
  };
  const messages = letters.data?.messages ?? [];
  const columns: readonly Column<DeadLetter>[] = [
    { title: 'Sent', className: 'nowrap', cell: (m) => <span class="mono">{formatTime(m.sent)}</span> },
    { title: 'Queue', cell: (m) => <span class="mono">{m.queue}</span> },
    { title: 'Rule → target', cell: (m) => <span class="mono">{m.rule} → {m.target}</span> },
    { title: 'Event', cell: (m) => m.event },
    { title: 'Error', cell: (m) => <span class="badge badge-failed">{m.error}</span> },
    { title: 'Retries', className: 'num', cell: (m) => m.attempts },
    { title: 'Stopped because', cell: (m) => m.exhausted },
    { title: 'Message', cell: (m) => <span class="wrap-text">{m.message}</span> },
    { title: '', cell: (m) => <button type="button" disabled={!canAct || busy} onClick={() => redrive({ queue: m.queue, id: m.id })}>Redrive</button> },
  ];
  return (
    <section>
      <div class="page-head">
        <h1>Dead letters and alerts</h1>
        <span class="muted">deliveries that ran out of retries, and every alert the pipeline paged</span>
      </div>
      <div class="stack">
        <div class="panel">
          <div class="toolbar" style={{ marginBottom: '12px' }}>
            <div class="stats" style={{ flex: 1 }}>
              <div class={`stat ${messages.length > 0 ? 'bad' : 'ok'}`}><div class="v" data-testid="dead-letter-count">{letters.data ? messages.length : '…'}</div><div class="k">dead letters</div></div>
              <div class="stat"><div class="v">{new Set(messages.map((m) => m.queue)).size}</div><div class="k">queues</div></div>
              <div class="stat"><div class="v">{alerts.data?.alerts.length ?? '…'}</div><div class="k">recent alerts</div></div>
            </div>
            <button type="button" class="primary" disabled={!canAct || busy || messages.length === 0} onClick={() => redrive({ all: true })}>Redrive all</button>
            <button type="button" onClick={() => { letters.reload(); alerts.reload(); }}>Refresh</button>
          </div>
          {canAct ? null : <p class="muted">Redrive needs the control token: open the console with the URL <code>{props.aws ? 'tributary console --aws' : 'tributary console'}</code> prints.</p>}
          {error ? <p class="error">{error}</p> : null}
          {letters.error ? <p class="error">{letters.error}</p> : null}
          {outcome ? <p role="status">{outcome}</p> : null}
          <PagedTable label="dead letters" rows={messages.slice(offset, offset + PAGE)} columns={columns} rowKey={(m) => `${m.queue}/${m.id}`} total={messages.length} offset={offset} limit={PAGE} onPage={setOffset} empty="No dead letters: every delivery succeeded or is still being retried." />
        </div>
        <div class="panel">
          <h2>Alerts</h2>
          {props.aws ? <p class="muted" role="note">The deployed stack pages its alerts to its SNS topic: subscribe to it to receive them (the console has no feed of them).</p> : alerts.data?.alerts.length === 0 ? <p class="muted">No alerts yet.</p> : null}
          <div aria-label="alerts">
            {(alerts.data?.alerts ?? []).map((a) => (
              <div class="alert-item">
                <div class="toolbar">
                  <span class="mono muted">{formatTime(a.time)}</span>
                  <span class="badge badge-failed">{a.detail.errorClass}</span>
                  <span class="title">{a.title}</span>
                  <span class="muted">{a.detail.retryable ? 'retryable' : 'not retryable'}</span>
                </div>
                <div class="body">{a.body}</div>
              </div>
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
