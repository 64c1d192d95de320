import { compilePattern, InvalidEventPatternError } from '../../../events/pattern';

/** A minimal EventBridge envelope; tests add or override fields. */
export const envelope = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
};

/** An envelope whose detail is the given object. */
export function withDetail(detail: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...envelope, ...extra, detail };
}

/** Compiles and matches, exercising both the object and the JSON-text forms of pattern and event. */
export function matches(pattern: unknown, event: unknown): boolean {
  const fromObject = compilePattern(pattern)(event);
  const fromText = compilePattern(JSON.stringify(pattern))(JSON.stringify(event));
  if (fromObject !== fromText) throw new Error(`object and text forms disagree for ${JSON.stringify(pattern)}`);
  return fromObject;
}

/** The bare reason compilePattern gives for an invalid pattern, or undefined when it is accepted. */
export function rejection(pattern: unknown): string | undefined {
  try {
    compilePattern(pattern);
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidEventPatternError)) throw error;
    expect(error.message).toBe(`Event pattern is not valid. Reason: ${error.reason}`);
    return error.reason;
  }
}

/** One row of a match table: case name, pattern, event, expected verdict. */
export type MatchCase = readonly [name: string, pattern: unknown, event: unknown, expected: boolean];

/** One row of a rejection table: case name, pattern, exact reason. */
export type RejectCase = readonly [name: string, pattern: unknown, reason: string];
