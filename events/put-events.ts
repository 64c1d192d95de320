/**
 * The PutEvents wire shapes, as EventBridge defines them, shared by every bus transport.
 *
 * These mirror `PutEventsRequestEntry` / `PutEventsResultEntry` of the EventBridge API so that the
 * AWS transport (SDK) and the local bus accept and answer exactly the same thing. No SDK import here:
 * `@aws-sdk/*` stays in the AWS adapters.
 */

/** One entry of a PutEvents request (EventBridge `PutEventsRequestEntry`). */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  /** The detail as JSON text; EventBridge requires a JSON object. */
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  readonly Time?: Date;
  /** Bus name or ARN; `default` when absent. */
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
}

/** One entry of a PutEvents response: `EventId` on success, `ErrorCode`/`ErrorMessage` on failure. */
export interface PutEventsResultEntry {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

/** A PutEvents response: same length and order as the request. */
export interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: readonly PutEventsResultEntry[];
}

/**
 * The one call a publisher needs from a bus. Implemented by the EventBridge SDK adapter and by the
 * local bus; a whole-request failure (validation, size) rejects, per-entry failures resolve.
 */
export interface EventBusTransport {
  putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse>;
}
