import { useEffect, useRef, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import { apiPath, getJson, postJson } from '../kit/api';
import { formatTime } from '../kit/format';
import { controlToken } from '../kit/token';
import { useApi } from '../kit/use-api';
import { useEventStream } from '../kit/use-event-stream';
import './console-pages.css';
import type { PageProps } from './page-entry';

const EnvelopeSchema = z.object({ id: z.string(), 'detail-type': z.string(), source: z.string(), time: z.string(), 'replay-name': z.optional(z.string()), detail: z.record(z.string(), z.unknown()) });
const EventPageSchema = z.object({ events: z.array(z.object({ position: z.number(), ingestedAt: z.string(), event: EnvelopeSchema })), scanned: z.number(), before: z.optional(z.number()) });
const TailBatchSchema = z.object({ events: z.array(z.object({ bus: z.string(), event: EnvelopeSchema })), dropped: z.number() });
const InvalidSchema = z.object({ message: z.string() });
const RulesSchema = z.object({ rules: z.array(z.string()) });
const ReplaySchema = z.object({ name: z.string(), state: z.string(), reason: z.optional(z.string()) });

type Envelope = z.infer<typeof EnvelopeSchema>;
interface Row {
  readonly key: string;
  readonly at: string;
  readonly bus: string;
  readonly event: Envelope;
}

/** Rows kept by the live tail; the list draws only those in view. */
const TAIL_KEEP = 5000;
const ROW_HEIGHT = 30;
const LIST_HEIGHT = 540;
const PAGE = 100;

/** What a row says about its event at a glance: the dataset, stage, zone or object it concerns. */
function gist(event: Envelope): string {
  const d = event.detail;
  const parts = ['dataset', 'zone', 'stage', 'errorClass', 'crawlerName', 'state', 'currentState', 'TransformJobStatus'].map((k) => d[k]).filter((v): v is string => typeof v === 'string');
  const object = d['object'];
  if (typeof object === 'object' && object !== null && 'key' in object && typeof object.key === 'string') parts.push(object.key);
  return parts.join(' · ');
}

/** A list that renders only the rows scrolled into view (fixed row height), so thousands of events cost a screenful. */
function WindowedList(props: { rows: readonly Row[]; selected?: string; onSelect: (row: Row) => void; label: string; empty: string }) {
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - 5);
  const visible = props.rows.slice(first, first + Math.ceil(LIST_HEIGHT / ROW_HEIGHT) + 10);
  return (
    <div class="event-list" style={{ height: `${LIST_HEIGHT}px` }} onScroll={(e) => setTop(e.currentTarget.scrollTop)} role="list" aria-label={props.label}>
      {props.rows.length === 0 ? <p class="muted empty-list">{props.empty}</p> : null}
      <div style={{ height: `${props.rows.length * ROW_HEIGHT}px`, position: 'relative' }}>
        {visible.map((row, i) => (
          <div
            key={row.key}
            role="listitem"
            class={`event-row ${props.selected === row.key ? 'selected' : ''}`}
            style={{ top: `${(first + i) * ROW_HEIGHT}px`, height: `${ROW_HEIGHT}px` }}
            onClick={() => props.onSelect(row)}
          >
            <span class="mono muted">{formatTime(row.at)}</span>
            <span class={`badge ${row.event.source === 'tributary.pipeline' ? 'badge-running' : ''}`}>{row.event['detail-type']}</span>
            <span class="truncate gist">{gist(row.event)}</span>
            {row.event['replay-name'] ? <span class="badge badge-pending">replay</span> : null}
          </div>
        ))}
      </div>
    </div>
  );
}

/** The replay form: a window of event times to one rule; needs the token. */
function ReplayForm() {
  const rules = useApi('/api/events/rules', RulesSchema);
  const [form, setForm] = useState({ from: '', to: '', rule: '' });
  const [replay, setReplay] = useState<z.infer<typeof ReplaySchema>>();
  const [error, setError] = useState<string>();
  const canAct = controlToken() !== undefined;
  useEffect(() => {
    if (!replay || !['STARTING', 'RUNNING'].includes(replay.state)) return;
    const timer = setTimeout(() => void getJson(`/api/events/replay/${encodeURIComponent(replay.name)}`, ReplaySchema).then(setReplay, (e: unknown) => setError(String(e))), 500);
    return () => clearTimeout(timer);
  }, [replay]);
  const set = (key: 'from' | 'to' | 'rule') => (e: Event) => {
    const t = e.currentTarget;
    if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement) setForm({ ...form, [key]: t.value });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const iso = (local: string) => (local === '' ? '' : new Date(local).toISOString());
    postJson('/api/events/replay', { from: iso(form.from), to: iso(form.to), rule: form.rule }, ReplaySchema).then(setReplay, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return (
    <form class="panel replay" onSubmit={submit} aria-label="replay">
      <h2>Replay a time window to one rule</h2>
      <div class="filters">
        <label>Event time from<input type="datetime-local" step="1" name="from" value={form.from} onChange={set('from')} /></label>
        <label>until<input type="datetime-local" step="1" name="to" value={form.to} onChange={set('to')} /></label>
        <label>
          Rule
          <select name="rule" value={form.rule} onChange={set('rule')}>
            <option value="">choose…</option>
            {(rules.data?.rules ?? []).map((r) => <option value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" class="primary" disabled={!canAct}>Replay</button>
      </div>
      {canAct ? null : <p class="muted">Actions need the control token: open the console with the URL <code>tributary console</code> prints.</p>}
      {error ? <p class="error">{error}</p> : null}
      {replay ? <p>Replay <code>{replay.name}</code> to <code>{form.rule}</code>: <span class="badge">{replay.state}</span> {replay.reason ?? ''}</p> : null}
    </form>
  );
}

/** Events of the deployed stack: no tail or history to read there, only the replay of a window to one rule. */
function AwsEventsPage() {
  return (
    <section>
      <div class="page-head">
        <h1>Events</h1>
        <span class="muted">replay a window of the deployed stack's archive to one rule</span>
      </div>
      <div class="stack">
        <div class="panel"><p class="muted" role="note" data-testid="aws-note" style={{ margin: 0 }}>The console of the deployed stack has no live tail or event history: EventBridge keeps its archive unbrowsable. Follow the bus with a rule to CloudWatch Logs; the replay below works.</p></div>
        <ReplayForm />
      </div>
    </section>
  );
}

/** Events: the deployed stack's replay form with `--aws`, else the local bus's tail, history and replay. */
export function EventsPage(props: PageProps) {
  return props.aws ? <AwsEventsPage /> : <LocalEventsPage {...props} />;
}

/**
 * Events: the bus's live tail (server-sent events, filtered on the server by any EventBridge
 * pattern, which the bus's own engine validates — an invalid one shows EventBridge's reason), the
 * archived history paged by the server, an event's JSON, and a replay of a window to one rule.
 */
function LocalEventsPage(_props: PageProps) {
  const [draft, setDraft] = useState('');
  const [pattern, setPattern] = useState('');
  const [mode, setMode] = useState<'live' | 'history'>('history');
  const [tail, setTail] = useState<Row[]>([]);
  const [dropped, setDropped] = useState(0);
  const [invalid, setInvalid] = useState<string>();
  const [before, setBefore] = useState<number[]>([]);
  const [selected, setSelected] = useState<Row>();
  const counter = useRef(0);
  const history = useApi(apiPath('/api/events', { pattern, limit: PAGE, before: before[before.length - 1] }), EventPageSchema);
  const [connected, setConnected] = useState<string>();
  const tailPath = apiPath('/api/events/tail', { pattern });
  useEventStream(tailPath, ['hello', 'events', 'invalid'], (name, data) => {
    if (name === 'hello') return setConnected(tailPath);
    if (name === 'invalid') return setInvalid(InvalidSchema.parse(data).message);
    const batch = TailBatchSchema.parse(data);
    const rows = batch.events.map((e) => ({ key: `live-${(counter.current += 1)}`, at: e.event.time, bus: e.bus, event: e.event })).reverse();
    setTail((held) => [...rows, ...held].slice(0, TAIL_KEEP));
    if (batch.dropped > 0) setDropped((n) => n + batch.dropped);
  });
  const apply = (e: Event) => {
    e.preventDefault();
    setInvalid(undefined);
    setTail([]);
    setBefore([]);
    setPattern(draft.trim());
  };
  const patternError = invalid ?? (history.error?.startsWith('Event pattern is not valid') ? history.error : undefined);
  const historyRows: Row[] = (history.data?.events ?? []).map((e) => ({ key: `h-${e.position}`, at: e.ingestedAt, bus: 'tributary', event: e.event }));
  return (
    <section>
      <div class="page-head">
        <h1>Events</h1>
        <span class="muted">every event the bus accepts · filter with any EventBridge pattern</span>
      </div>
      <form class="panel pattern-box" onSubmit={apply}>
        <label for="pattern">Event pattern</label>
        <textarea id="pattern" name="pattern" class="mono" rows={3} spellcheck={false} placeholder='{"detail-type": ["StageFailed", "RefinedWritten"]}' value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        <div class="row">
          <button type="submit" class="primary">Apply</button>
          <button type="button" onClick={() => { setDraft(''); setPattern(''); setInvalid(undefined); setTail([]); }}>Clear</button>
          {pattern === '' ? <span class="muted">no pattern: every event</span> : <span class="muted">filtering by the pattern above</span>}
        </div>
        {patternError ? <p class="error" role="alert">{patternError}</p> : null}
      </form>
      <div class="grid-2">
        <div class="panel">
          <div class="tabs">
            <button type="button" class={mode === 'live' ? 'active' : ''} onClick={() => setMode('live')}>Live tail ({tail.length.toLocaleString()})</button>
            <button type="button" class={mode === 'history' ? 'active' : ''} onClick={() => setMode('history')}>History</button>
            {connected === tailPath ? <span class="live-dot" data-testid="tail-connected">live</span> : null}
            {dropped > 0 ? <span class="muted">{dropped.toLocaleString()} not shown (the tail fell behind)</span> : null}
          </div>
          {mode === 'live' ? (
            <WindowedList rows={tail} selected={selected?.key} onSelect={setSelected} label="live events" empty="Waiting for events… new ones appear here as the bus accepts them." />
          ) : (
            <div>
              <WindowedList rows={historyRows} selected={selected?.key} onSelect={setSelected} label="archived events" empty={history.loading ? 'loading…' : 'No archived event matches.'} />
              <div class="pager">
                <span class="muted">{history.data ? `${historyRows.length} shown, newest first, of ${history.data.scanned.toLocaleString()} archived` : 'loading…'}</span>
                <button type="button" disabled={before.length === 0} onClick={() => setBefore(before.slice(0, -1))}>‹ Newer</button>
                <button type="button" disabled={history.data?.before === undefined} onClick={() => history.data?.before !== undefined && setBefore([...before, history.data.before])}>Older ›</button>
              </div>
            </div>
          )}
        </div>
        <div class="stack">
          <div class="panel">
            <h2>{selected ? selected.event['detail-type'] : 'Event'}</h2>
            {selected ? <pre class="json">{JSON.stringify(selected.event, null, 2)}</pre> : <p class="muted">Select an event to see it whole.</p>}
          </div>
          <ReplayForm />
        </div>
      </div>
    </section>
  );
}
