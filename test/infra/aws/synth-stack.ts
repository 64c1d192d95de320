import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { cdkFeatureFlags } from '../../../infra/aws/cdk-feature-flags';
import { defaultStackConfig, type StackConfig } from '../../../infra/aws/stack-config';
import { TributaryStack } from '../../../infra/aws/tributary-stack';

/** The repository root, as `app.ts` computes it. */
export const repositoryRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Builds the stack as `app.ts` does (same feature flags, the real esbuild bundling of the stage
 * functions and the real Docker build context staging), into a temp output dir. Call once per test file.
 */
export function buildStack(config: Partial<StackConfig> = {}): { app: App; stack: TributaryStack; config: StackConfig } {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'tributary-cdk-'));
  const app = new App({ context: { ...cdkFeatureFlags }, outdir });
  const full: StackConfig = { ...defaultStackConfig, alertEmail: 'oncall@example.com', ...config };
  const stack = new TributaryStack(app, 'Tributary', { config: full, repositoryRoot });
  return { app, stack, config: full };
}
