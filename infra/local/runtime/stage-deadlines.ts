import { StageId } from '../../../events/stage-ids';

/**
 * How long a run may wait on each stage on the embedded default before the watchdog fails it as
 * `stalled`, in ms. Sized for one machine: a crawl or a refine of a few million rows takes seconds to
 * a minute here, so minutes of no progress mean a stuck part, not a slow one.
 */
const LOCAL_DEADLINES_MS: Readonly<Record<string, number>> = {
  [StageId.RegisterLanding]: 5 * 60_000,
  [StageId.AnnounceCrawl]: 15 * 60_000,
  [StageId.Refine]: 30 * 60_000,
  [StageId.Forecast]: 30 * 60_000,
};
const FALLBACK_MS = 30 * 60_000;

/**
 * The deadline of a stage: `TRIBUTARY_STAGE_DEADLINES` (`stage=seconds` pairs, comma-separated, e.g.
 * `refine=3600,forecast=3600`; `*=S` sets every stage) over the local defaults. A malformed setting
 * is an error naming it, not a silent default.
 */
export function stageDeadlines(setting: string | undefined = process.env.TRIBUTARY_STAGE_DEADLINES): (stage: string) => number {
  const overrides = new Map<string, number>();
  for (const pair of (setting ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^([a-z*][a-z-]*)=(\d+(?:\.\d+)?)$/.exec(pair);
    if (!match?.[1] || !match[2] || Number(match[2]) <= 0) throw new Error(`TRIBUTARY_STAGE_DEADLINES: expected stage=seconds pairs such as refine=3600, got ${JSON.stringify(pair)}`);
    overrides.set(match[1], Number(match[2]) * 1000);
  }
  return (stage) => overrides.get(stage) ?? overrides.get('*') ?? LOCAL_DEADLINES_MS[stage] ?? FALLBACK_MS;
}
