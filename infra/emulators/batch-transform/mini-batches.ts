import { BatchStrategy } from '../../../handlers/ports/batch-transform';

/** How one input file is cut into request bodies. */
export interface MiniBatchSpec {
  readonly splitType: 'None' | 'Line';
  readonly batchStrategy: BatchStrategy;
  /** Largest body in bytes; 0 = no limit (SageMaker's MaxPayloadInMB 0, streaming). */
  readonly maxPayloadBytes: number;
}

/** A record (or unsplit file) larger than MaxPayloadInMB: SageMaker fails that file. */
export class RecordTooLargeError extends Error {
  constructor(bytes: number, limit: number, record: number) {
    super(`record ${record} is ${bytes} bytes, larger than MaxPayloadInMB (${limit} bytes)`);
    this.name = new.target.name;
  }
}

/**
 * Cuts a file into the bodies a SageMaker container's `/invocations` receives, in order. With
 * SplitType `Line`, a record is one line with its newline; `MultiRecord` packs as many whole records
 * as fit in MaxPayloadInMB into one body, `SingleRecord` sends one per body. Each body is an exact
 * slice of the file, so concatenating the bodies gives the file back. `None` sends the file whole.
 */
export function miniBatches(text: string, spec: MiniBatchSpec): string[] {
  const limit = spec.maxPayloadBytes;
  const fits = (bytes: number): boolean => limit === 0 || bytes <= limit;
  if (spec.splitType === 'None') {
    const bytes = Buffer.byteLength(text);
    if (!fits(bytes)) throw new RecordTooLargeError(bytes, limit, 1);
    return text.length === 0 ? [] : [text];
  }
  const records = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const bodies: string[] = [];
  let body = '';
  let bodyBytes = 0;
  records.forEach((record, index) => {
    const bytes = Buffer.byteLength(record);
    if (!fits(bytes)) throw new RecordTooLargeError(bytes, limit, index + 1);
    if (body !== '' && (spec.batchStrategy === BatchStrategy.SingleRecord || !fits(bodyBytes + bytes))) {
      bodies.push(body);
      body = '';
      bodyBytes = 0;
    }
    body += record;
    bodyBytes += bytes;
  });
  if (body !== '') bodies.push(body);
  return bodies;
}

/**
 * Joins the responses of one file into its `.out` object. `Line` ends every response with exactly
 * one newline (adding it when missing), `None` concatenates them unchanged.
 */
export function assembleOutput(responses: readonly string[], assembleWith: 'None' | 'Line'): string {
  if (assembleWith === 'None') return responses.join('');
  return responses.map((r) => (r.endsWith('\n') ? r : `${r}\n`)).join('');
}
