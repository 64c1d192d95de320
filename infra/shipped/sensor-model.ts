import { Prng } from './prng';

/** One rush-hour dip: centre and width in minutes of the day, depth as a fraction of free-flow speed. */
interface RushDip {
  readonly center: number;
  readonly width: number;
  readonly depth: number;
}

/**
 * The hidden truth behind one simulated road sensor: free-flow speed, morning and evening rush-hour
 * dips, and the sensor's own noise state (a slowly drifting deviation plus short incidents).
 *
 * The mean speed follows a daily pattern that varies from day to day, so a forecaster has something
 * real to learn (the profile) and something real to track (today's level and incidents).
 */
export class SensorModel {
  private readonly freeFlow: number;
  private readonly morning: RushDip;
  private readonly evening: RushDip;
  private readonly dayIntensity = new Map<number, number>();
  private deviation = 0;
  private incidentMinutes = 0;
  private incidentSeverity = 0;

  /** Draws the sensor's parameters from its own generator. */
  constructor(private readonly rng: Prng) {
    this.freeFlow = rng.chance(0.25) ? rng.uniform(50, 70) : rng.uniform(85, 120);
    this.morning = { center: rng.uniform(7.5, 8.5) * 60, width: rng.uniform(35, 60), depth: rng.uniform(0.3, 0.7) };
    this.evening = { center: rng.uniform(16.75, 17.75) * 60, width: rng.uniform(40, 70), depth: rng.uniform(0.25, 0.65) };
  }

  /** The speed (km/h, unrounded, ≥ 3) measured in the minute starting at `timeMs`. */
  speedAt(timeMs: number): number {
    const day = Math.floor(timeMs / 86_400_000);
    const minuteOfDay = (timeMs - day * 86_400_000) / 60_000;
    const weekday = new Date(timeMs).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.2 : 1;
    const intensity = this.intensityOf(day) * weekend;
    const dip = dipAt(this.morning, minuteOfDay) + dipAt(this.evening, minuteOfDay);
    const mean = this.freeFlow * Math.max(0.15, 1 - intensity * dip);
    this.deviation = 0.97 * this.deviation + 1.2 * this.rng.normal();
    if (this.incidentMinutes <= 0 && this.rng.chance(1 / 2500)) {
      this.incidentMinutes = this.rng.int(15, 60);
      this.incidentSeverity = this.rng.uniform(0.3, 0.6);
    }
    const incident = this.incidentMinutes > 0 ? 1 - this.incidentSeverity : 1;
    this.incidentMinutes -= 1;
    return Math.max(3, mean * incident + this.deviation + 2.5 * this.rng.normal());
  }

  /** Occupancy (bezettingsgraad, percent) that goes with a speed: high when traffic is slow. */
  occupancyFor(speed: number): number {
    const congestion = Math.min(1, Math.max(0, 1 - speed / this.freeFlow));
    return clampRound(6 + 55 * congestion + 2 * this.rng.normal(), 0, 100);
  }

  /** Vehicle counts per class (2 = cars … 5 = trucks) for the minute, following the time of day. */
  intensitiesAt(timeMs: number): readonly [number, number, number, number] {
    const hour = new Date(timeMs).getUTCHours();
    const busy = hour >= 6 && hour < 21 ? 1 : 0.25;
    const draw = (mean: number): number => clampRound(mean * busy + Math.sqrt(mean) * this.rng.normal(), 0, 500);
    return [draw(22), draw(4), draw(2), draw(5)];
  }

  private intensityOf(day: number): number {
    let value = this.dayIntensity.get(day);
    if (value === undefined) {
      value = this.rng.uniform(0.75, 1.25);
      this.dayIntensity.set(day, value);
    }
    return value;
  }
}

function dipAt(dip: RushDip, minuteOfDay: number): number {
  const z = (minuteOfDay - dip.center) / dip.width;
  return dip.depth * Math.exp(-0.5 * z * z);
}

function clampRound(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}
