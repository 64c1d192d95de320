import dagre, { type EdgeLabel, type Point } from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import { formatCount, formatMs } from '../kit/format';
import type { GraphNode, PipelineCounts, PipelineGraph } from './pipeline-schemas';

const STYLE: Readonly<Record<GraphNode['kind'], { fill: string; stroke: string; rx: number }>> = {
  'service-event': { fill: '#fef3c7', stroke: '#d97706', rx: 16 },
  'domain-event': { fill: '#ede9fe', stroke: '#7c3aed', rx: 16 },
  rule: { fill: '#ffffff', stroke: '#2563eb', rx: 6 },
  stage: { fill: '#dcfce7', stroke: '#15803d', rx: 6 },
  dlq: { fill: '#fff5f5', stroke: '#fca5a5', rx: 3 },
};

/** The legend's label of each node kind, in order. */
export const NODE_KINDS: readonly [GraphNode['kind'], string][] = [['service-event', 'service event'], ['domain-event', 'domain event'], ['rule', 'rule'], ['stage', 'stage'], ['dlq', 'dead-letter queue']];

/** The node's colours (for the legend). */
export function nodeStyle(kind: GraphNode['kind']): { fill: string; stroke: string } {
  return STYLE[kind];
}

/** The second line under a node's name: a rule's counts, a stage's median latency, a DLQ's depth. */
function subtitle(node: GraphNode, counts: PipelineCounts | undefined): string | undefined {
  if (!counts) return undefined;
  if (node.kind === 'rule') {
    const c = counts.rules[node.label];
    return c ? `${formatCount(c.matched)} matched · ${formatCount(c.delivered)} ok · ${formatCount(c.retried)} retried` : undefined;
  }
  if (node.kind === 'stage') {
    const l = counts.stages.find((s) => s.stage === node.label);
    return l ? `p50 ${formatMs(l.medianMs)} · max ${formatMs(l.maxMs)}` : undefined;
  }
  return undefined;
}

/** How many messages a DLQ node's queue holds (its rule's dead-lettered count). */
function dlqDepth(node: GraphNode, counts: PipelineCounts | undefined): number | undefined {
  if (node.kind !== 'dlq' || !counts) return undefined;
  return Object.entries(counts.rules).find(([id]) => node.label.endsWith(`-${id}-dlq`))?.[1].deadLettered;
}

/** The name drawn in a node: a DLQ as a chip with its depth (its full name is the tooltip and in the rule panel). */
function displayName(node: GraphNode, counts: PipelineCounts | undefined): string {
  if (node.kind !== 'dlq') return node.label;
  const depth = dlqDepth(node, counts);
  return depth === undefined ? 'DLQ' : `DLQ ${formatCount(depth)}`;
}

/**
 * The pipeline as an SVG graph laid out by dagre, top to bottom: events → rules → stages → the events
 * they cause, each rule also pointing at its DLQ. Rules are clickable.
 */
export function PipelineGraphView(props: { graph: PipelineGraph; counts: PipelineCounts | undefined; selected: string | undefined; onSelect: (node: GraphNode) => void }) {
  const { graph, counts } = props;
  const layout = useMemo(() => {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: 10, ranksep: 22, edgesep: 10, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of graph.nodes) {
      const width = n.kind === 'rule' ? 200 : n.kind === 'stage' ? 150 : n.kind === 'dlq' ? 74 : Math.max(n.label.length * 6.8 + 26, 84);
      g.setNode(n.id, { width, height: n.kind === 'rule' || n.kind === 'stage' ? 38 : 26 });
    }
    graph.edges.forEach((e, i) => g.setEdge(e.from, e.to, { weight: e.kind === 'dead-letters' ? 1 : 3, minlen: 1 }, `e${i}`));
    dagre.layout(g);
    const info = g.graph();
    return { g, width: (info.width ?? 800) + 2, height: (info.height ?? 600) + 2 };
  }, [graph]);
  const { g } = layout;
  return (
    <div class="graph-wrap">
      <svg width={layout.width} height={layout.height} style={{ maxWidth: '100%', height: 'auto' }} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label="pipeline graph">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#94a3b8" />
          </marker>
        </defs>
        {graph.edges.map((e, i) => {
          const label: EdgeLabel | undefined = g.edge({ v: e.from, w: e.to, name: `e${i}` });
          const points: Point[] = label?.points ?? [];
          const d = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
          const dash = e.kind === 'dead-letters' ? '4 4' : e.kind === 'emits' ? '2 3' : undefined;
          return <path d={d} fill="none" stroke={e.kind === 'dead-letters' ? '#fca5a5' : '#94a3b8'} stroke-width="1.4" stroke-dasharray={dash} marker-end="url(#arrow)" />;
        })}
        {graph.nodes.map((n) => {
          const box = g.node(n.id);
          if (!box) return null;
          const s = (dlqDepth(n, counts) ?? 0) > 0 ? { fill: '#fee2e2', stroke: '#dc2626', rx: 3 } : STYLE[n.kind];
          const sub = subtitle(n, counts);
          const x = box.x - box.width / 2;
          const y = box.y - box.height / 2;
          return (
            <g class={`node ${n.kind} ${props.selected === n.id ? 'selected' : ''}`} data-node-id={n.id} data-kind={n.kind} onClick={() => props.onSelect(n)}>
              <title>{n.kind === 'dlq' ? `dead-letter queue ${n.label}` : n.label}</title>
              <rect x={x} y={y} width={box.width} height={box.height} rx={s.rx} fill={s.fill} stroke={s.stroke} stroke-width="1.3" />
              <text x={box.x} y={sub ? box.y - 4 : box.y + 4} text-anchor="middle" font-weight={n.kind === 'rule' || n.kind === 'stage' ? 600 : 500}>{displayName(n, counts)}</text>
              {sub ? <text class="sub" x={box.x} y={box.y + 12} text-anchor="middle">{sub}</text> : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
