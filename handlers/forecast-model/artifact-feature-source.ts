import type { FeatureSource } from './features';
import { slotOf, type QuarterSeries } from './quarter-series';

/**
 * The feature source of a trained model: recent quarters from `series`, the seasonal profile from
 * the artifact (unknown sensors and empty slots have none, and features fall back).
 */
export function artifactFeatureSource(
  artifact: { readonly profiles: Readonly<Record<string, readonly (number | null)[]>> },
  series: QuarterSeries,
): FeatureSource {
  return {
    series,
    profile: (sensor, quarter) => {
      const profile = Object.hasOwn(artifact.profiles, sensor) ? artifact.profiles[sensor] : undefined;
      return profile?.[slotOf(quarter)] ?? undefined;
    },
  };
}
