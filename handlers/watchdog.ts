import { ScheduledEventSchema } from '../contracts/aws-events';
import { parseContract } from '../contracts/contract-violation-error';
import { StageId } from '../events/stage-ids';
import { failStalledRuns } from './stage-kit/fail-stalled-runs';
import { runStage } from './stage-kit/run-stage';
import { stageDeadlines, type StageDeadlines } from './stage-kit/stage-deadlines';
import { stageLogger } from './stage-kit/stage-logger';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ runs: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.Watchdog);
const STAGE = StageId.Watchdog;

/**
 * How long a run may wait on each stage on AWS before the watchdog fails it as `stalled`, in ms. Sized
 * for the managed services: a crawl bills 10 minutes and a coalesced follow-up waits for the running
 * one; an Athena refine of a large window takes minutes; a transform job provisions its instance
 * before it reads a record.
 */
export const AWS_STAGE_DEADLINES_MS: StageDeadlines = {
  [StageId.RegisterLanding]: 15 * 60_000,
  [StageId.AnnounceCrawl]: 60 * 60_000,
  [StageId.Refine]: 60 * 60_000,
  [StageId.Forecast]: 90 * 60_000,
  '*': 60 * 60_000,
};

/**
 * The watchdog on a schedule (the CDK app's schedule rule; the embedded default runs the same
 * `failStalledRuns` on a timer, and at quiescence): fails as `stalled` every run that waits on a
 * stage past that stage's deadline, so no run waits silently. Deadlines: `AWS_STAGE_DEADLINES_MS`,
 * with the function's `TRIBUTARY_STAGE_DEADLINES` over them.
 */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  await runStage(deps, () => ({ stage: STAGE }), async () => {
    parseContract(ScheduledEventSchema, event, 'Scheduled Event');
    const stalled = await failStalledRuns(deps, { deadlineMs: stageDeadlines(AWS_STAGE_DEADLINES_MS, process.env.TRIBUTARY_STAGE_DEADLINES) });
    logger.info('watchdog ran', { stalled: stalled.length });
  });
}
