import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

const exec = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const BIN = path.join(REPO, 'infra', 'operator', 'cli', 'bin.cjs');

/** Where screenshots go: `test-output/console/` at the repository root (gitignored). */
export const SCREENSHOT_DIR = path.join(REPO, 'test-output', 'console');

/** Debian's Chromium and the flags DEVELOPERS.md gives for it (no sandbox in containers, nothing phoning home). */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
} as const;

/** A demo home served by a real `tributary up`, and a headless Chromium to look at its console. */
export interface ConsoleHarness {
  /** The home the demo ran into (a temp folder, removed by `close`). */
  readonly home: string;
  /** The console's base URL, `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  /** The control token of the running `up` (actions need it). */
  readonly token: string;
  /** What `tributary console --home <home>` printed. */
  readonly consoleCommandOutput: string;
  readonly browser: Browser;
  /**
   * Opens a new 1440×900 tab on a hash route (`'runs'`, `'runs/<id>'`), by default with the token (as
   * `tributary console` would); `withToken: false` opens it read-only. Resolves once the shell drew.
   */
  openPage(route: string, options?: { withToken?: boolean; width?: number; height?: number }): Promise<Page>;
  /** Saves a full-page PNG as `test-output/console/<name>.png`; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  /** GETs an `/api/...` path (no token) and returns the parsed JSON; throws on a non-2xx answer. */
  api(apiPath: string): Promise<unknown>;
  /** Runs `tributary <args> --home <home>`. */
  cli(args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  /** Closes the browser, stops `up` and removes the home. */
  close(): Promise<void>;
}

/** Resolves with the URL `up` printed on its `console:` line, rejecting if it exits first or takes over 120 s. */
function consoleLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tributary up printed no console line in 120 s:\n${out}\n${err}`)), 120_000);
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /^console: (http:\/\/127\.0\.0\.1:\d+)\/$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tributary up exited with ${String(code)} before serving the console:\n${out}\n${err}`));
    });
  });
}

/**
 * Runs `tributary demo` into a fresh temp home (about 20 s; once per test file, in `beforeAll`),
 * starts `tributary up --port 0` on it as a child process, reads the console URL and token through
 * `tributary console`, and launches Chromium. `prepare` runs on the home after the demo, before `up`.
 */
export async function startConsoleHarness(options: { prepare?: (home: string) => Promise<void> } = {}): Promise<ConsoleHarness> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-console-'));
  const env = { ...process.env, TRIBUTARY_HOME: home, NODE_NO_WARNINGS: '1' };
  const cli = async (args: readonly string[]) => exec(process.execPath, [BIN, ...args, '--home', home], { env, cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
  await cli(['demo']);
  await options.prepare?.(home);
  const up = spawn(process.execPath, [BIN, 'up', '--port', '0', '--firehose-port', '0', '--home', home], { env, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let browser: Browser | undefined;
  const stop = async (): Promise<void> => {
    await browser?.close();
    if (up.exitCode === null && up.signalCode === null) {
      const exited = new Promise((resolve) => up.once('exit', resolve));
      up.kill('SIGTERM');
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  };
  try {
    const url = await consoleLine(up);
    const printed = (await cli(['console'])).stdout.trim();
    const token = /#token=([0-9a-f]+)$/.exec(printed)?.[1];
    if (!token) throw new Error(`tributary console printed no token: ${printed}`);
    browser = await chromium.launch({ executablePath: CHROMIUM.executablePath, args: [...CHROMIUM.args], headless: true });
    const opened = browser;
    return {
      home,
      url,
      token,
      consoleCommandOutput: printed,
      browser: opened,
      openPage: async (route, o = {}) => {
        const page = await opened.newPage({ viewport: { width: o.width ?? 1440, height: o.height ?? 900 } });
        const fragment = o.withToken === false ? `#/${route}` : `#token=${token}#/${route}`;
        await page.goto(`${url}/${fragment}`);
        await page.waitForSelector('.topbar nav a.active');
        return page;
      },
      screenshot: async (page, name) => {
        await mkdir(SCREENSHOT_DIR, { recursive: true });
        const file = path.join(SCREENSHOT_DIR, `${name}.png`);
        // The top bar is sticky: from the top, a full-page shot shows it once, where it belongs.
        await page.evaluate(`new Promise((resolve) => { window.scrollTo({ top: 0, behavior: 'instant' }); requestAnimationFrame(() => requestAnimationFrame(resolve)); })`);
        await page.screenshot({ path: file, fullPage: true });
        return file;
      },
      api: async (apiPath) => {
        const response = await fetch(`${url}${apiPath}`);
        const body: unknown = await response.json();
        if (!response.ok) throw new Error(`${apiPath} answered ${response.status}: ${JSON.stringify(body)}`);
        return body;
      },
      cli,
      close: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
