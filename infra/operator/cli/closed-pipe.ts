import { hasErrnoCode } from '../../emulators/bus/errno';

/** The exit code of a command a closed pipe ended: 128 + SIGPIPE (13), as a shell reports it. */
export const SIGPIPE_EXIT = 141;

/**
 * Makes output to a closed pipe end the command quietly, as Unix tools do on SIGPIPE
 * (`tributary runs | head`): on `EPIPE` from stdout or stderr the process exits at once, with no
 * stack trace, with the exit code set so far or else 141 (128 + SIGPIPE, what a shell reports for a
 * tool the pipe ended): never 0, since the command did not finish (`wait 2>&1 | head` must not
 * pass for a verdict). Any other stream error is rethrown, as Node would without a listener.
 */
export function endQuietlyOnClosedPipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: Error) => {
      if (!hasErrnoCode(error, 'EPIPE')) throw error;
      const code = process.exitCode;
      process.exit(typeof code === 'number' && code !== 0 ? code : SIGPIPE_EXIT);
    });
  }
}
