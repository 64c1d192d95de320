import { isIPv4 } from 'node:net';

/**
 * True when an HTTP `Host` header names this machine by a loopback name or address: `localhost`,
 * any `127.0.0.0/8` address, `[::1]` (or `[::ffff:127.x.y.z]`), each with or without a port.
 *
 * The local endpoints listen on 127.0.0.1 only, but a browser page can still reach them through DNS
 * rebinding (a name of the attacker's that resolves to 127.0.0.1); such a request carries the
 * attacker's name as its Host, so answering only loopback Hosts closes that door.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(host.trim());
  if (!m) return false;
  const ipv6 = m[1]?.toLowerCase();
  if (ipv6 !== undefined) return ipv6 === '::1' || isLoopbackV4(ipv6.replace(/^::ffff:/, ''));
  const name = (m[2] ?? '').toLowerCase();
  return name === 'localhost' || isLoopbackV4(name);
}

function isLoopbackV4(address: string): boolean {
  return isIPv4(address) && address.startsWith('127.');
}

/** The body of the 403 a non-loopback Host gets, naming what was wrong. */
export function foreignHostMessage(host: string | undefined): string {
  return `Host ${JSON.stringify(host ?? '')} is not a loopback name or address (localhost, 127.0.0.1, [::1]); this endpoint answers only this machine`;
}
