import { DomainDetailType } from '../../../contracts/domain-events';
import { patternIndexKeys } from '../../../events/pattern';
import { ruleTable, type EventPattern, type RetryPolicy } from '../../../events/rules';
import type { StageId } from '../../../events/stage-ids';
import { localTopologyNames, type TopologyNames } from '../../../events/topology-names';
import { STAGE_EMISSIONS } from './stage-emissions';

/** A node of the pipeline graph; ids are `<kind>:<name>`. */
export type GraphNode =
  | { readonly id: string; readonly kind: 'service-event' | 'domain-event'; readonly label: string }
  | { readonly id: string; readonly kind: 'rule'; readonly label: string; readonly description: string; readonly pattern: EventPattern; readonly retryPolicy: RetryPolicy; readonly deadLetterQueue: string; readonly target: StageId }
  | { readonly id: string; readonly kind: 'stage'; readonly label: string }
  | { readonly id: string; readonly kind: 'dlq'; readonly label: string };

/** An edge: `matches` (event → rule), `targets` (rule → stage), `dead-letters` (rule → DLQ), `emits` (stage → event). */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'matches' | 'targets' | 'dead-letters' | 'emits';
}

/** The pipeline's choreography as a graph. */
export interface PipelineGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const DOMAIN: ReadonlySet<string> = new Set(Object.values(DomainDetailType));

/**
 * The rule table drawn as a graph: service and domain events (by detail-type), each rule, its target
 * stage and its DLQ, and the events each stage causes (STAGE_EMISSIONS). Built from the rule table
 * itself, so the graph cannot disagree with what the bus and the CDK stack install.
 */
export function pipelineGraph(names: TopologyNames = localTopologyNames): PipelineGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const eventNode = (detailType: string): string => {
    const kind = DOMAIN.has(detailType) ? 'domain-event' : 'service-event';
    const id = `${kind}:${detailType}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind, label: detailType });
    return id;
  };
  for (const row of ruleTable(names)) {
    const rule = `rule:${row.id}`;
    const stage = `stage:${row.target}`;
    const dlq = `dlq:${row.deadLetterQueue}`;
    nodes.set(rule, { id: rule, kind: 'rule', label: row.id, description: row.description, pattern: row.pattern, retryPolicy: row.retryPolicy, deadLetterQueue: row.deadLetterQueue, target: row.target });
    nodes.set(stage, { id: stage, kind: 'stage', label: row.target });
    nodes.set(dlq, { id: dlq, kind: 'dlq', label: row.deadLetterQueue });
    for (const type of patternIndexKeys(row.pattern).detailTypes ?? []) edges.push({ from: eventNode(type), to: rule, kind: 'matches' });
    edges.push({ from: rule, to: stage, kind: 'targets' }, { from: rule, to: dlq, kind: 'dead-letters' });
  }
  for (const node of [...nodes.values()]) {
    if (node.kind !== 'stage') continue;
    const emitted = Object.entries(STAGE_EMISSIONS).find(([stage]) => `stage:${stage}` === node.id)?.[1] ?? [];
    for (const type of emitted) edges.push({ from: node.id, to: eventNode(type), kind: 'emits' });
  }
  return { nodes: [...nodes.values()], edges };
}
