import ipaddr from 'ipaddr.js';
import { barf } from './invalid-event-pattern-error';
import type { IpRange } from './matcher';

const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * Parses a standard IP address into its bytes (4 for IPv4, 16 for IPv6), or undefined.
 *
 * IPv4 must be four plain decimal parts; IPv6 may use any spelling (compressed, upper case,
 * embedded IPv4) but no zone id. An IPv4-mapped IPv6 address counts as its IPv4 address, as
 * Java's InetAddress (event-ruler) does.
 */
function parseIp(text: string): number[] | undefined {
  const v4 = IPV4.exec(text);
  if (v4) {
    const bytes = [Number(v4[1]), Number(v4[2]), Number(v4[3]), Number(v4[4])];
    return bytes.every((b) => b <= 255) ? bytes : undefined;
  }
  if (!text.includes(':') || text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
  const v6 = ipaddr.IPv6.parse(text);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toByteArray() : v6.toByteArray();
}

/**
 * Validates a `cidr` operand (`addr/bits`) into an IP range, with event-ruler's reasons.
 *
 * Host bits may be set (`10.0.0.7/24` is the block 10.0.0.0/24). IPv4 masks must be below 32
 * and IPv6 masks below 128, as event-ruler requires.
 */
export function parseCidr(text: string): IpRange {
  const parts = text.split('/');
  if (parts.length !== 2) barf("Malformed CIDR, one '/' required");
  const [address = '', bitsText = ''] = parts;
  if (!/^[+-]?\d+$/.test(bitsText) || !Number.isSafeInteger(Number(bitsText))) {
    barf('Malformed CIDR, mask bits must be an integer');
  }
  const maskBits = Number(bitsText);
  if (maskBits < 0) barf('Malformed CIDR, mask bits must not be negative');
  const bytes = parseIp(address);
  if (!bytes) barf(`Nonstandard IP address: ${address}`);
  if (bytes.length === 4 && maskBits > 31) barf('IPv4 mask bits must be < 32');
  if (bytes.length === 16 && maskBits > 127) barf('IPv6 mask bits must be < 128');
  return { bytes, maskBits };
}

/** True when a string event value is an IP address inside the range (same family only). */
export function ipInRange(range: IpRange, value: string): boolean {
  const bytes = parseIp(value);
  if (!bytes || bytes.length !== range.bytes.length) return false;
  let bits = range.maskBits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}
