import { isLoopbackHost } from '../../../../infra/emulators/bus/loopback-host';

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST:4566', '127.0.0.1', '127.0.0.1:4566', '127.8.9.10:80', '[::1]', '[::1]:4566', '[::ffff:127.0.0.1]:1'])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each([undefined, '', 'evil.example', 'evil.example:4566', 'localhost.evil.example', '127.0.0.1.evil.example', '128.0.0.1', '0.0.0.0', '[::2]', '[::1', '127.0.0.1:abc', '10.0.0.1:4566', '127.1'])('refuses %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
