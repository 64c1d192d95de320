import { formatCount, formatTime } from '../kit/format';
import { useApi } from '../kit/use-api';
import { RuleMatchesSchema, type GraphNode, type RuleCounts } from './pipeline-schemas';

type RuleNode = Extract<GraphNode, { kind: 'rule' }>;

/** A rule: what it is for, its counts, its pattern, retry policy and DLQ, and its recent matches. */
export function RulePanel(props: { rule: RuleNode; counts: RuleCounts | undefined }) {
  const { rule, counts } = props;
  const matches = useApi(`/api/pipeline/rules/${encodeURIComponent(rule.label)}/matches?limit=8`, RuleMatchesSchema);
  return (
    <div class="panel stack" data-testid="rule-panel">
      <div>
        <h2>Rule <span class="mono">{rule.label}</span></h2>
        <p class="muted" style={{ margin: 0 }}>{rule.description}</p>
      </div>
      {counts ? (
        <div class="stats">
          <div class="stat"><div class="v">{formatCount(counts.matched)}</div><div class="k">matched</div></div>
          <div class="stat ok"><div class="v">{formatCount(counts.delivered)}</div><div class="k">delivered</div></div>
          <div class="stat"><div class="v">{formatCount(counts.retried)}</div><div class="k">retried</div></div>
          <div class={`stat ${counts.deadLettered > 0 ? 'bad' : ''}`}><div class="v">{formatCount(counts.deadLettered)}</div><div class="k">dead-lettered</div></div>
        </div>
      ) : null}
      <dl class="kv">
        <dt>target</dt><dd>{rule.target}</dd>
        <dt>retry</dt><dd>{rule.retryPolicy.maximumRetryAttempts} attempts within {formatCount(rule.retryPolicy.maximumEventAgeInSeconds)} s</dd>
        <dt>DLQ</dt><dd class="mono">{rule.deadLetterQueue}</dd>
      </dl>
      <div>
        <h3>Pattern</h3>
        <pre class="json" data-testid="rule-pattern">{JSON.stringify(rule.pattern, null, 2)}</pre>
      </div>
      <div>
        <h3>Recent matches</h3>
        {matches.error ? <p class="error">{matches.error}</p> : null}
        <table class="data" aria-label="recent matches">
          <thead><tr><th>Accepted</th><th>Detail-type</th><th>Outcome</th></tr></thead>
          <tbody>
            {(matches.data?.matches ?? []).map((m) => (
              <tr title={JSON.stringify(m.detail)}><td class="mono">{formatTime(m.at)}</td><td>{m.detailType}</td><td>{m.outcome}</td></tr>
            ))}
            {matches.data && matches.data.matches.length === 0 ? <tr><td class="empty" colSpan={3}>No event matched yet.</td></tr> : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
