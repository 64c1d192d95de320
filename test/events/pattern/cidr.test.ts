import { matches, rejection, withDetail, type MatchCase, type RejectCase } from './helpers';

const cidr = (block: unknown): unknown => ({ detail: { ip: [{ cidr: block }] } });

describe('cidr (§1.9)', () => {
  const cases: MatchCase[] = [
    ['[LS:content_ip_address] IPv4 inside the block', cidr('10.0.0.0/24'), withDetail({ ip: '10.0.0.255' }), true],
    ['[LS:content_ip_address NEG] IPv4 outside the block', cidr('10.0.0.0/24'), withDetail({ ip: '10.0.1.0' }), false],
    ['[LS:content_ip_address_NEG] invalid address 10.0.0.256', cidr('10.0.0.0/24'), withDetail({ ip: '10.0.0.256' }), false],
    ['[LS:content_ip_address_bad_type_NEG] a number value', cidr('10.0.0.0/24'), withDetail({ ip: 10 }), false],
    ['[ER-probe] leading zeros are not a standard address', cidr('10.0.0.0/24'), withDetail({ ip: '10.0.0.01' }), false],
    ['[ER-probe] an IPv6 value against an IPv4 block', cidr('10.0.0.0/8'), withDetail({ ip: '::1' }), false],
    ['[LS:content_ip_address_v6] IPv6 inside the block', cidr('2001:db8::/64'), withDetail({ ip: '2001:0db8:0000:0000:0000:0000:0000:0001' }), true],
    ['[LS:content_ip_address_v6_NEG] IPv6 outside the block', cidr('2001:db8::/64'), withDetail({ ip: '2001:db8:0:1::1' }), false],
    ['[ER-probe] compressed, upper-case IPv6 spelling', cidr('2001:0db8:0000:0000:0000:0000:0000:0000/32'), withDetail({ ip: '2001:DB8::ABCD' }), true],
    ['[ER-probe] IPv6 with embedded IPv4', cidr('64:ff9b::/96'), withDetail({ ip: '64:ff9b::192.0.2.33' }), true],
    ['[ER-probe] IPv4-mapped IPv6 counts as IPv4', cidr('192.0.2.0/24'), withDetail({ ip: '::ffff:192.0.2.1' }), true],
    ['[ER-probe] host bits allowed: 10.0.0.7/24', cidr('10.0.0.7/24'), withDetail({ ip: '10.0.0.200' }), true],
    ['[ER-probe] 0.0.0.0/0 matches every IPv4 address', cidr('0.0.0.0/0'), withDetail({ ip: '255.1.2.3' }), true],
    ['[ER-probe] 0.0.0.0/0 does not match a non-address', cidr('0.0.0.0/0'), withDetail({ ip: 'localhost' }), false],
    ['[ER-probe] an odd mask length', cidr('10.0.0.0/9'), withDetail({ ip: '10.127.255.255' }), true],
    ['[ER-probe] an odd mask length, outside', cidr('10.0.0.0/9'), withDetail({ ip: '10.128.0.0' }), false],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  const invalid: RejectCase[] = [
    ['[LS:content_ip_address_EXC] no slash', cidr('10.0.0.0'), "Malformed CIDR, one '/' required"],
    ['[ER-probe] two slashes', cidr('10.0.0.0/8/8'), "Malformed CIDR, one '/' required"],
    ['[LS:content_ip_address_bad_mask_EXC] non-integer mask', cidr('10.0.0.0/abc'), 'Malformed CIDR, mask bits must be an integer'],
    ['[LS:content_ip_address_bad_ip_EXC] bad IPv4 address', cidr('xx.11.xx/8'), 'Nonstandard IP address: xx.11.xx'],
    ['[LS:content_ip_address_v6_bad_ip_EXC] bad IPv6 address', cidr('2001:db8:::/64'), 'Nonstandard IP address: 2001:db8:::'],
    ['[LS:content_ip_address_type_EXC] non-string operand', cidr(10), 'prefix match pattern must be a string'],
    ['[ER-probe] /32 on IPv4', cidr('10.0.0.1/32'), 'IPv4 mask bits must be < 32'],
    ['[ER-probe] /33 on IPv4', cidr('10.0.0.1/33'), 'IPv4 mask bits must be < 32'],
    ['[ER-probe] /128 on IPv6', cidr('::1/128'), 'IPv6 mask bits must be < 128'],
    ['[ER-probe] negative mask', cidr('10.0.0.0/-1'), 'Malformed CIDR, mask bits must not be negative'],
  ];
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });
});
