import { z } from 'zod';
import { parseContract } from '../../contracts/contract-violation-error';
import { EventEnvelopeSchema, envelopeOf } from '../../contracts/envelope';
import { DELETE, errorOf, loadEvent, withChange } from './fixtures';

const s3 = loadEvent('s3-object-created.json');
const parse = (value: unknown): unknown => parseContract(EventEnvelopeSchema, value, 'event');

describe('EventEnvelopeSchema', () => {
  it('parses an AWS service event and keeps the detail untouched', () => {
    expect(parse(s3)).toEqual(s3);
  });

  it('outputs keys in the order EventBridge serialises them, replay-name between region and resources', () => {
    const shuffled = { detail: {}, resources: [], 'replay-name': 'backfill-1', region: 'us-east-1', time: '2024-01-02T03:04:05Z', account: '000000000000', source: 'x.y', 'detail-type': 'T', id: 'e1', version: '0' };
    expect(Object.keys(parse(shuffled) as object)).toEqual([
      'version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'replay-name', 'resources', 'detail',
    ]);
  });

  it.each([
    ['version', '1', /^event is invalid: version: expected "0"/],
    ['id', '', /id: Too small/],
    ['account', '1234', /account: expected a 12-digit account id/],
    ['time', '2024-01-02 03:04:05', /time: Invalid ISO datetime/],
    ['time', '2024-01-02T03:04:05+02:00', /time: Invalid ISO datetime/],
    ['resources', 'arn:aws:s3:::b', /resources: expected array, received string/],
    ['detail', ['a'], /detail: expected record, received array/],
    ['detail', '{"a":1}', /detail: expected record, received string/],
    ['detail-type', 'x'.repeat(129), /detail-type: Too big/],
    ['replay-name', '', /replay-name: Too small/],
  ])('rejects %s = %j naming the field', (key, value, message) => {
    expect(errorOf(() => parse(withChange(s3, [key], value)))).toMatch(message);
  });

  it.each(['version', 'id', 'source', 'account', 'time', 'region', 'resources', 'detail'])('requires %s', (key) => {
    expect(errorOf(() => parse(withChange(s3, [key], DELETE)))).toMatch(new RegExp(`${key}: expected`));
  });
});

describe('envelopeOf', () => {
  const Thing = envelopeOf('acme.things', 'Thing Made', z.object({ count: z.number().int() }));
  const thing = { ...s3, source: 'acme.things', 'detail-type': 'Thing Made', detail: { count: 2 } };

  it('pins source and detail-type and types the detail', () => {
    const parsed = parseContract(Thing, thing, 'thing');
    const count: number = parsed.detail.count;
    expect(count).toBe(2);
    expect(parsed.source).toBe('acme.things');
  });

  it('names source, detail-type and detail paths on mismatch', () => {
    expect(errorOf(() => parseContract(Thing, { ...thing, source: 'aws.s3' }, 'thing'))).toMatch(/source: expected "acme.things"/);
    expect(errorOf(() => parseContract(Thing, { ...thing, 'detail-type': 'Other' }, 'thing'))).toMatch(/detail-type: expected "Thing Made"/);
    expect(errorOf(() => parseContract(Thing, { ...thing, detail: { count: 1.5 } }, 'thing'))).toMatch(/detail\.count: expected int/);
  });
});
