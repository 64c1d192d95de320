/** Stage deadlines in ms by stage id; stages without one take `*`. */
export type StageDeadlines = Readonly<Record<string, number>> & { readonly '*': number };

/**
 * The deadline of each stage: a `TRIBUTARY_STAGE_DEADLINES` setting (`stage=seconds` pairs,
 * comma-separated, e.g. `refine=3600,forecast=3600`; `*=S` sets every stage) over a realisation's
 * defaults. A malformed setting is an error naming it, never a silent default.
 */
export function stageDeadlines(defaults: StageDeadlines, setting: string | undefined): (stage: string) => number {
  const overrides = new Map<string, number>();
  for (const pair of (setting ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^([a-z*][a-z-]*)=(\d+(?:\.\d+)?)$/.exec(pair);
    if (!match?.[1] || !match[2] || Number(match[2]) <= 0) throw new Error(`TRIBUTARY_STAGE_DEADLINES: expected stage=seconds pairs such as refine=3600, got ${JSON.stringify(pair)}`);
    overrides.set(match[1], Number(match[2]) * 1000);
  }
  return (stage) => overrides.get(stage) ?? overrides.get('*') ?? defaults[stage] ?? defaults['*'];
}
