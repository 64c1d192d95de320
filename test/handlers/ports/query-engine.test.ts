import { QueryState, QueryTimeoutError, runQuery, type QueryEnginePort, type QueryExecution } from '../../../handlers/ports/query-engine';

function engineStuckAt(state: QueryState, finishAfterPolls = Infinity): QueryEnginePort & { polls: number } {
  const engine = {
    polls: 0,
    async startQueryExecution() {
      return { QueryExecutionId: 'q1' };
    },
    async getQueryExecution(): Promise<QueryExecution> {
      engine.polls++;
      const current = engine.polls >= finishAfterPolls ? QueryState.Succeeded : state;
      return {
        QueryExecutionId: 'q1', Query: 'SELECT 1', StatementType: 'DML', WorkGroup: 'primary', QueryExecutionContext: {},
        Status: { State: current, SubmissionDateTime: new Date() }, Statistics: {},
      };
    },
    async getQueryResults(): Promise<never> {
      throw new Error('not used');
    },
  };
  return engine;
}

describe('runQuery', () => {
  it('polls until a terminal state and returns the execution', async () => {
    const engine = engineStuckAt(QueryState.Running, 4);
    const execution = await runQuery(engine, { QueryString: 'SELECT 1' });
    expect(execution.Status.State).toBe(QueryState.Succeeded);
    expect(engine.polls).toBe(4);
  });

  it('wakes when an engine reports the query finished instead of sleeping out its poll interval', async () => {
    const engine = engineStuckAt(QueryState.Running, 2);
    const started = Date.now();
    const execution = await runQuery({ ...engine, whenQueryFinished: () => Promise.resolve() }, { QueryString: 'SELECT 1' }, { pollMs: 60_000 });
    expect(execution.Status.State).toBe(QueryState.Succeeded);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('rejects with a retryable QueryTimeoutError at the deadline', async () => {
    const engine = engineStuckAt(QueryState.Queued);
    const failure = await runQuery(engine, { QueryString: 'SELECT 1' }, { timeoutMs: 30, maxPollMs: 5 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(QueryTimeoutError);
    expect(failure).toMatchObject({ retryable: true, queryExecutionId: 'q1', message: 'query q1 still QUEUED after 30 ms' });
  });
});
