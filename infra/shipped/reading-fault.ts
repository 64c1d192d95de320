/**
 * Why a raw traffic reading is invalid. The values are the `reason` strings of the rejects table
 * (`sql/traffic/rejects.sql`), checked in this order: the first that applies is the reason.
 */
export const ReadingFault = {
  MissingUniqueId: 'missing_unique_id',
  BadRecordTimestamp: 'bad_record_timestamp',
  MissingCurrentSpeed: 'missing_current_speed',
  SpeedSentinel: 'speed_sentinel',
  NegativeSpeed: 'negative_speed',
  OccupancyOutOfRange: 'occupancy_out_of_range',
} as const;

/** One reject reason. */
export type ReadingFault = (typeof ReadingFault)[keyof typeof ReadingFault];

/** All reasons, in the order the rejects SQL tests them. */
export const READING_FAULTS: readonly [ReadingFault, ...ReadingFault[]] = [
  ReadingFault.MissingUniqueId,
  ReadingFault.BadRecordTimestamp,
  ReadingFault.MissingCurrentSpeed,
  ReadingFault.SpeedSentinel,
  ReadingFault.NegativeSpeed,
  ReadingFault.OccupancyOutOfRange,
];
