import { Prng } from './prng';
import type { SimulatedLine } from './traffic-simulation';

/** One file of the sample: its object key (relative, `/`-separated) and its lines in arrival order. */
export interface FirehoseFile {
  readonly key: string;
  readonly lines: readonly SimulatedLine[];
}

/**
 * Groups lines into files the way Kinesis Data Firehose lands them: folders by ARRIVAL hour
 * (`<prefix>/YYYY/MM/DD/HH/`), `filesPerHour` buffers per hour, each named
 * `<stream>-1-YYYY-MM-DD-HH-MM-SS-<uuid>` after its first arrival. UUIDs come from `rng`, so the
 * layout is deterministic; keys are sorted, lines within a file ordered by arrival then sensor.
 */
export function layoutFirehoseFiles(
  lines: readonly SimulatedLine[],
  options: { readonly prefix: string; readonly stream: string; readonly filesPerHour: number; readonly rng: Prng },
): FirehoseFile[] {
  const bufferMs = 3_600_000 / options.filesPerHour;
  const buffers = new Map<number, SimulatedLine[]>();
  for (const line of lines) {
    const buffer = Math.floor(line.arrivalTimeMs / bufferMs);
    const list = buffers.get(buffer);
    if (list === undefined) buffers.set(buffer, [line]);
    else list.push(line);
  }
  const files: FirehoseFile[] = [];
  for (const buffer of [...buffers.keys()].sort((a, b) => a - b)) {
    const sorted = (buffers.get(buffer) ?? []).slice().sort(byArrival);
    const first = sorted[0];
    if (first === undefined) continue;
    const stamp = new Date(first.arrivalTimeMs).toISOString();
    const folder = `${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)}/${stamp.slice(11, 13)}`;
    const name = `${options.stream}-1-${stamp.slice(0, 10)}-${stamp.slice(11, 19).replace(/:/g, '-')}-${options.rng.uuid()}`;
    files.push({ key: `${options.prefix}/${folder}/${name}.jsonl`, lines: sorted });
  }
  return files;
}

function byArrival(a: SimulatedLine, b: SimulatedLine): number {
  return a.arrivalTimeMs - b.arrivalTimeMs || (a.sensor < b.sensor ? -1 : a.sensor > b.sensor ? 1 : 0) || a.eventTimeMs - b.eventTimeMs;
}
