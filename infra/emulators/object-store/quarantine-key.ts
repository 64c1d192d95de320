import { createHash } from 'node:crypto';
import { InvalidObjectKeyError, validateObjectKey } from '../../local/lake-paths';

/**
 * The safe, reversible name a raw file with an invalid name gets in the quarantine zone: `%`,
 * control characters, `\` and `:` are written as `%XX` (so `bad\u0001name.csv` becomes
 * `bad%01name.csv`, and `originalKeyOf` gives the name back). A name still invalid once escaped
 * (longer than 1024 characters) becomes `invalid-names/<sha256 of the name>`; the StageFailed of the
 * file names the original either way.
 */
export function quarantineKeyOf(key: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = key.replace(/[%\\:\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  try {
    return validateObjectKey(escaped);
  } catch (error) {
    if (!(error instanceof InvalidObjectKeyError)) throw error;
    return `invalid-names/${createHash('sha256').update(key).digest('hex')}`;
  }
}

/** The original raw name of a key made by quarantineKeyOf (other than the hashed fallback). */
export function originalKeyOf(quarantineKey: string): string {
  return quarantineKey.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
