import { useRef, useState } from 'preact/hooks';
import { formatMs } from '../kit/format';
import { useApi } from '../kit/use-api';
import { useEventStream } from '../kit/use-event-stream';
import type { PageProps } from './page-entry';
import { NODE_KINDS, nodeStyle, PipelineGraphView } from './pipeline-graph-view';
import { PipelineCountsSchema, PipelineGraphSchema, type GraphNode } from './pipeline-schemas';
import { RulePanel } from './rule-panel';

const STREAM_EVENTS = ['events'] as const;

type RuleNode = Extract<GraphNode, { kind: 'rule' }>;
/** The counts are re-read at most this often while events flow. */
const REFRESH_MS = 2000;

/**
 * Pipeline: the rule table as a graph (service events, rules, stages, domain events, DLQs), with each
 * rule's live counts and each stage's latency; clicking a rule shows its pattern, retry policy and
 * recent matches (the first rule's until another is clicked). Counts refresh as the bus accepts events (server-sent events).
 */
export function PipelinePage(_props: PageProps) {
  const graph = useApi('/api/pipeline/graph', PipelineGraphSchema);
  const counts = useApi('/api/pipeline/counts', PipelineCountsSchema);
  const [selected, setSelected] = useState<RuleNode | undefined>(undefined);
  const details = useRef<HTMLDivElement>(null);
  const rule = selected ?? graph.data?.nodes.find((n): n is RuleNode => n.kind === 'rule');
  const select = (n: GraphNode): void => {
    if (n.kind !== 'rule') return;
    setSelected(n);
    details.current?.scrollIntoView({ block: 'nearest' });
  };
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEventStream('/api/events/stream', STREAM_EVENTS, () => {
    if (pending.current !== undefined) return;
    const wait = Math.max(0, last.current + REFRESH_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      last.current = Date.now();
      counts.reload();
    }, wait);
  });
  const stages = graph.data?.nodes.filter((n) => n.kind === 'stage').length ?? 0;
  const rules = graph.data?.nodes.filter((n) => n.kind === 'rule').length ?? 0;
  return (
    <section>
      <div class="page-head">
        <h1>Pipeline</h1>
        <span class="muted">{rules} rules · {stages} stages · the choreography as the rule table installs it</span>
      </div>
      {graph.error ? <p class="error">{graph.error}</p> : null}
      <div class="panel">
        <div class="legend">
          {NODE_KINDS.map(([kind, label]) => <span><i style={{ background: nodeStyle(kind).fill, border: `1px solid ${nodeStyle(kind).stroke}` }} />{label}</span>)}
          <span class="muted">solid: matches / targets · dotted: causes · dashed: dead-letters · click a rule for its details</span>
        </div>
        {graph.data ? <PipelineGraphView graph={graph.data} counts={counts.data} selected={rule?.id} onSelect={select} /> : <p class="muted">Loading graph…</p>}
      </div>
      <div class="grid-2" style={{ marginTop: '16px' }} ref={details}>
        {rule ? <RulePanel rule={rule} counts={counts.data?.rules[rule.label]} /> : <div class="panel muted">Loading…</div>}
        <div class="panel">
          <h2>Stage latency</h2>
          <p class="muted" style={{ marginTop: 0 }}>each step of a run's chain over the {counts.data?.sampledRuns ?? 0} most recent runs, in chain order: median wait before it (queued behind other work), then the time it worked</p>
          <table class="data" aria-label="stage latency">
            <thead><tr><th>Stage</th><th class="num">Runs</th><th class="num">Waited (p50)</th><th class="num">Worked (p50)</th><th class="num">Max</th></tr></thead>
            <tbody>
              {(counts.data ? [...counts.data.stages, counts.data.endToEnd] : []).map((s) => (
                <tr><td>{s.stage}</td><td class="num">{s.runs}</td><td class="num">{s === counts.data?.endToEnd ? '' : formatMs(s.medianWaitMs)}</td><td class="num">{formatMs(s.medianMs)}</td><td class="num">{formatMs(s.maxMs)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
