import type { SegmentedLog } from './segmented-log';

/**
 * Counts the deliveries each event-log segment still owes and deletes a segment once it owes none
 * (compaction while running). The active segment is never deleted, and nothing is deleted while an
 * ingest is between its append and its {@link owe} call, when a segment's count may not include it yet.
 */
export class SegmentLedger {
  private ingesting = 0;
  private closed = false;

  constructor(
    private readonly log: SegmentedLog,
    private readonly outstanding: Map<number, number>,
  ) {}

  /** Marks an ingest as started: its records may land in any segment. */
  beginIngest(): void {
    this.ingesting += 1;
  }

  /** Marks an ingest as finished (after {@link owe}); compacts what became deletable meanwhile. */
  endIngest(): void {
    this.ingesting -= 1;
    this.compact();
  }

  /** Records that `segment` owes `deliveries` more deliveries (0 still registers the segment). */
  owe(segment: number, deliveries: number): void {
    this.outstanding.set(segment, (this.outstanding.get(segment) ?? 0) + deliveries);
  }

  /** Records one settled delivery of `segment`. */
  settle(segment: number): void {
    this.outstanding.set(segment, (this.outstanding.get(segment) ?? 1) - 1);
    this.compact();
  }

  /** Stops deleting (the log is closing). */
  close(): void {
    this.closed = true;
  }

  private compact(): void {
    if (this.ingesting > 0 || this.closed) return;
    for (const [segment, count] of this.outstanding) {
      if (count > 0 || segment === this.log.activeSegment) continue;
      this.outstanding.delete(segment);
      void this.log.deleteSegment(segment).catch(() => undefined);
    }
  }
}
