import { strptimeToMysql, unsupportedSpecifiers } from '../../contracts/event-time-format';

describe('strptime event-time formats', () => {
  it.each([
    ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%i:%s'],
    ['%d/%m/%y %I:%M %p', '%d/%m/%y %h:%i %p'],
    ['%A %B %e %Y', '%W %M %e %Y'],
    ['%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%dT%H:%i:%s.%f'],
    ['100%% %j', '100%% %j'],
  ])('converts %s to date_parse specifiers %s', (strptime, mysql) => {
    expect(strptimeToMysql(strptime)).toBe(mysql);
  });

  it('names the specifiers date_parse cannot take, and refuses to convert them', () => {
    expect(unsupportedSpecifiers('%Y-%m-%d%z %Z %')).toEqual(['%z', '%Z', '%']);
    expect(() => strptimeToMysql('%s')).toThrow('strptime specifier "%s" is not supported');
  });
});
