import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStack } from './synth-stack';

describe('cdk-nag AwsSolutionsChecks on the Tributary stack', () => {
  const { app } = buildStack();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

  it('reports zero unacknowledged errors and warnings (each acknowledgement names its resource and a reason)', () => {
    const report = JSON.parse(readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
    const findings: string[] = [];
    for (const plugin of report.pluginReports) {
      for (const v of plugin.violations) for (const c of v.violatingConstructs) findings.push(`${v.severity} ${v.ruleName} at ${c.constructPath}`);
    }
    expect(findings).toEqual([]);
    expect(error).toBeUndefined();
  });

  it('is live: the same wiring fails a synth that has an unacknowledged finding', () => {
    const probe = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'tributary-nag-')) });
    new sqs.Queue(new Stack(probe, 'Probe'), 'NoDlq');
    Validations.of(probe).addPlugins(new AwsSolutionsChecks(probe));
    try {
      expect(() => probe.synth()).toThrow();
      expect(readFileSync(path.join(probe.outdir, 'validation-report.json'), 'utf8')).toMatch(/AwsSolutions-SQS3/);
    } finally {
      rmSync(probe.outdir, { recursive: true, force: true });
    }
  });
});
