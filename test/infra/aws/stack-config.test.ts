import { defaultStackConfig, readStackConfig } from '../../../infra/aws/stack-config';

describe('readStackConfig', () => {
  const context = (values: Record<string, unknown>) => (key: string): unknown => values[key];

  it('fills every default and reads CLI context strings as numbers', () => {
    expect(readStackConfig(context({}))).toEqual(defaultStackConfig);
    expect(readStackConfig(context({ alertEmail: 'oncall@example.com', archiveRetentionDays: '0', prefix: 'lake' }))).toMatchObject({ alertEmail: 'oncall@example.com', archiveRetentionDays: 0, prefix: 'lake' });
  });

  it('refuses bad values, naming each key', () => {
    expect(() => readStackConfig(context({ alertEmail: 'not-an-address', bytesScannedCutoffMb: '5', prefix: 'Bad_Prefix' }))).toThrow(/alertEmail.*bytesScannedCutoffMb|prefix/);
    expect(() => readStackConfig(context({ bytesScannedCutoffMb: '5' }))).toThrow(/bytesScannedCutoffMb/);
    expect(() => readStackConfig(context({ prefix: 'Bad_Prefix' }))).toThrow(/prefix/);
  });
});
