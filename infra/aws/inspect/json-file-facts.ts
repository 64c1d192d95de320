import type { DatasetManifest } from '../../../contracts/dataset-manifest';
import type { RawFileFacts } from '../../../handlers/ports/raw-file-inspector';
import { RAW_FORMAT_NAMES } from '../../../handlers/stage-kit/raw-file-kinds';
import { PoisonInputError } from '../../../handlers/stage-kit/stage-error';
import { RecordTally, valueKind } from './record-tally';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * JSON lines (one object per line, blank lines skipped) or one JSON array of objects (`raw.format:
 * json`), already decompressed: the records, the event-time range, the declared types. A line that
 * does not parse or is not an object, or a file that is not one array of objects, is poison naming
 * the line (`a.jsonl is not valid JSON lines: line 2 is not valid JSON (…)`).
 */
export function jsonFileFacts(key: string, text: string, manifest: DatasetManifest): RawFileFacts {
  const tally = new RecordTally(key, manifest);
  if (manifest.raw.format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new PoisonInputError(`${key} is not valid ${RAW_FORMAT_NAMES.json}: ${reason(err)}`, { cause: err });
    }
    if (!Array.isArray(value)) throw new PoisonInputError(`${key} is not valid ${RAW_FORMAT_NAMES.json}: the file holds ${valueKind(value) === 'object' ? 'an object' : `a ${valueKind(value)}`}, not an array`);
    value.forEach((element: unknown, i) => {
      if (!isRecord(element)) throw new PoisonInputError(`${key} is not valid ${RAW_FORMAT_NAMES.json}: element ${i + 1} is not a JSON object (got ${valueKind(element)})`);
      tally.add(element);
    });
  } else {
    let at = 0;
    for (let line = 1; at <= text.length; line++) {
      const end = text.indexOf('\n', at);
      const body = text.slice(at, end === -1 ? text.length : end);
      at = end === -1 ? text.length + 1 : end + 1;
      if (body.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch (err) {
        throw new PoisonInputError(`${key} is not valid JSON lines: line ${line} is not valid JSON (${reason(err)})`, { cause: err });
      }
      if (!isRecord(value)) throw new PoisonInputError(`${key} is not valid JSON lines: line ${line} is not a JSON object (got ${valueKind(value)})`);
      tally.add(value);
    }
  }
  const facts = tally.facts();
  if (facts.records === 0) throw new PoisonInputError(`file has no records: ${key}`);
  return facts;
}
