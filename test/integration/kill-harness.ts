import { spawn } from 'node:child_process';
import * as path from 'node:path';

const CHILD = path.join(__dirname, 'pipeline-child.ts');

/** How the child ends: killed by us when an event line matches, or by itself at a crash point. */
export interface KillPlan {
  readonly killOn?: (line: string) => boolean;
  /** `TRIBUTARY_CRASH_AT` for the child (see infra/local/runtime/crash-point.ts). */
  readonly crashAt?: string;
}

/** How long a child may run before a missed kill fails the test (it is never reached on a sound run). */
const CHILD_DEADLINE_MS = 150_000;

/**
 * Starts the pipeline in a child process on `home`, calls `onReady` once it is up, and kills it with
 * SIGKILL as soon as `killOn` matches an event line, or lets it kill itself at its crash point.
 * Resolves with the events seen before the kill.
 */
export function runUntilKilled(home: string, onReady: () => Promise<void>, plan: KillPlan): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(plan.crashAt === undefined ? {} : { TRIBUTARY_CRASH_AT: plan.crashAt }) };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, home], { cwd: path.join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'], env });
    const seen: string[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    const deadline = setTimeout(() => {
      killed = true;
      child.kill('SIGTERM');
    }, CHILD_DEADLINE_MS);
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'READY') onReady().catch(reject);
        else if (!killed) {
          seen.push(line);
          if (plan.killOn?.(line) === true) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`child exited (${code ?? signal ?? ''}) without being killed: ${stderr.slice(-2000)}`));
    });
  });
}

