import { PipelineError } from '../../../contracts/pipeline-error';
import { MAX_OBJECT_KEY_BYTES, objectKeyProblem } from '../../../handlers/ports/object-key';
import { objectKeyProblem as s3KeyProblem } from '../../../infra/aws/adapters/object-key';
import { InvalidObjectKeyError, localPathOfUri, validateObjectKey } from '../../../infra/local/lake-paths';

/** The local realisation's answer for a key: its problem, or undefined when it accepts it. */
function localProblem(key: string): string | undefined {
  try {
    validateObjectKey(key);
    return undefined;
  } catch (err) {
    if (!(err instanceof InvalidObjectKeyError)) throw err;
    return err.message;
  }
}

const GOOD = ['traffic/2026/01/05/10/readings.jsonl', 'a', 'traffic/één/ü.jsonl', 'traffic/x y/(1).jsonl', 'a/.hidden', 'a/..b', 'é'.repeat(MAX_OBJECT_KEY_BYTES / 2)];
const BAD: ReadonlyArray<readonly [string, RegExp]> = [
  ['', /empty/],
  ['é'.repeat(MAX_OBJECT_KEY_BYTES / 2 + 1), /1026 bytes of UTF-8, more than S3's 1024/],
  ['a'.repeat(MAX_OBJECT_KEY_BYTES + 1), /bytes of UTF-8/],
  ['a/\uD800b', /not valid UTF-8/],
  ['a/b\u0007.jsonl', /control character/],
  ['a/b\n.jsonl', /control character/],
  ['a/b\u007f', /control character/],
  ['a/b\u0085', /control character/],
  ['/a', /relative/],
  ['C:/a', /relative/],
  ['a\\b', /backslash/],
  ['a//b', /segment/],
  ['a/./b', /segment/],
  ['a/../b', /segment/],
  ['..', /segment/],
  ['a/b/', /segment/],
];

describe('objectKeyProblem: the one object-key rule', () => {
  it.each(GOOD)('accepts %j on both realisations', (key) => {
    expect(objectKeyProblem(key)).toBeUndefined();
    expect(s3KeyProblem(key)).toBeUndefined();
    expect(localProblem(key)).toBeUndefined();
  });

  it.each(BAD)('refuses %j on both realisations with the same reason', (key, reason) => {
    expect(objectKeyProblem(key)).toMatch(reason);
    expect(s3KeyProblem(key)).toBe(objectKeyProblem(key));
    expect(localProblem(key)).toBe(objectKeyProblem(key));
  });

  it('lets a listing prefix be empty or end in a name fragment, but never climb', () => {
    for (const prefix of ['', 'traffic/', 'traffic/2026/0', 'a/.']) expect(objectKeyProblem(prefix, true)).toBeUndefined();
    for (const prefix of ['a//b/', '../', 'a/..', '/a/']) expect(objectKeyProblem(prefix, true)).toBeDefined();
  });

  it('makes the local error a non-retryable pipeline error, and resolves folder URIs without climbing', () => {
    expect(() => validateObjectKey('../x')).toThrow(InvalidObjectKeyError);
    expect(new InvalidObjectKeyError('x')).toBeInstanceOf(PipelineError);
    expect(new InvalidObjectKeyError('x').retryable).toBe(false);
    expect(localPathOfUri('/home', 's3://tributary-refined/_staging/t/job/')).toBe(localPathOfUri('/home', 's3://tributary-refined/_staging/t/job'));
    expect(() => localPathOfUri('/home', 's3://tributary-raw/a/../../etc/')).toThrow(/segment/);
  });
});
