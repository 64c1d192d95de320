import { Prng } from './prng';
import { READING_FAULTS, ReadingFault } from './reading-fault';
import { SensorModel } from './sensor-model';

/** Options of a simulation: how many sensors, how many hours from `start`, which seed. */
export interface TrafficSimulationOptions {
  readonly sensors: number;
  readonly hours: number;
  readonly seed: number;
  /** First event minute, ISO-8601 UTC, on a whole hour. Default 2026-01-05T00:00:00Z (a Monday). */
  readonly start?: string;
}

/** One line that the sample writes, with the facts the summary and the tests need. */
export interface SimulatedLine {
  /** The JSON object written (fields as the Flemish feed names them; some missing or broken on purpose). */
  readonly record: Readonly<Record<string, string | number>>;
  readonly sensor: string;
  readonly eventTimeMs: number;
  /** When Firehose received it: decides the arrival-hour folder. */
  readonly arrivalTimeMs: number;
  /** Set when the reading is invalid on purpose; the rejects reason it must get. */
  readonly fault?: ReadingFault;
  /** Delivered one to three hours after its event time (lands in a later arrival-hour folder). */
  readonly late: boolean;
  /** A second delivery of a reading already written (identical record). */
  readonly duplicate: boolean;
}

/** The default first event minute of the sample. */
export const DEFAULT_SAMPLE_START = '2026-01-05T00:00:00Z';

const FAULT_RATE = 0.02;
const LATE_RATE = 0.01;
const DUPLICATE_RATE = 0.004;

/**
 * Simulates one reading per sensor per minute, with rush hours, noise, faults, late and duplicate
 * deliveries. A pure function of its options: each sensor draws from its own generator seeded by
 * (seed, sensor), so the same seed always yields the same lines in the same order.
 */
export function simulateTraffic(options: TrafficSimulationOptions): SimulatedLine[] {
  const startMs = parseStart(options.start ?? DEFAULT_SAMPLE_START);
  const lines: SimulatedLine[] = [];
  for (let index = 0; index < options.sensors; index += 1) {
    const sensor = `S${String(index + 1).padStart(3, '0')}`;
    const rng = new Prng(`${options.seed}:${sensor}`);
    const model = new SensorModel(new Prng(`${options.seed}:${sensor}:truth`));
    let previous: number | undefined;
    for (let minute = 0; minute < options.hours * 60; minute += 1) {
      const eventTimeMs = startMs + minute * 60_000;
      const speed = Math.round(model.speedAt(eventTimeMs));
      const [c2, c3, c4, c5] = model.intensitiesAt(eventTimeMs);
      const clean = {
        uniqueId: sensor,
        recordTimestamp: new Date(eventTimeMs).toISOString(),
        currentSpeed: speed,
        previousSpeed: previous ?? speed,
        bezettingsgraad: model.occupancyFor(speed),
        trafficIntensityClass2: c2,
        trafficIntensityClass3: c3,
        trafficIntensityClass4: c4,
        trafficIntensityClass5: c5,
      };
      previous = speed;
      const fault = rng.chance(FAULT_RATE) ? rng.pick(READING_FAULTS) : undefined;
      const late = rng.chance(LATE_RATE);
      const lag = late ? rng.uniform(60, 180) * 60_000 : rng.uniform(15, 100) * 1000;
      const arrivalTimeMs = Math.round(eventTimeMs + lag);
      const record = fault === undefined ? clean : breakRecord(clean, fault, rng);
      lines.push({ record, sensor, eventTimeMs, arrivalTimeMs, fault, late, duplicate: false });
      if (fault === undefined && !late && rng.chance(DUPLICATE_RATE)) {
        const again = Math.round(arrivalTimeMs + rng.uniform(1, 30) * 60_000);
        lines.push({ record, sensor, eventTimeMs, arrivalTimeMs: again, late: false, duplicate: true });
      }
    }
  }
  return lines;
}

function breakRecord(clean: Record<string, string | number>, fault: ReadingFault, rng: Prng): Record<string, string | number> {
  const broken = { ...clean };
  switch (fault) {
    case ReadingFault.MissingUniqueId:
      delete broken.uniqueId;
      break;
    case ReadingFault.BadRecordTimestamp:
      broken.recordTimestamp = rng.pick(['not-a-time', '2026-13-45T99:00:00Z', '']);
      break;
    case ReadingFault.MissingCurrentSpeed:
      delete broken.currentSpeed;
      break;
    case ReadingFault.SpeedSentinel:
      broken.currentSpeed = rng.pick([252, 254, 255]);
      break;
    case ReadingFault.NegativeSpeed:
      broken.currentSpeed = -1;
      break;
    case ReadingFault.OccupancyOutOfRange:
      broken.bezettingsgraad = rng.pick([101, 150, -3]);
      break;
  }
  return broken;
}

function parseStart(start: string): number {
  const ms = Date.parse(start);
  if (!Number.isFinite(ms) || ms % 3_600_000 !== 0) {
    throw new RangeError(`sample start must be an ISO-8601 UTC time on a whole hour, got ${JSON.stringify(start)}`);
  }
  return ms;
}
