import { hasErrnoCode } from '../bus/errno';

/**
 * Makes output to a closed pipe end the command quietly, as Unix tools do on SIGPIPE
 * (`tributary runs | head`): on `EPIPE` from stdout or stderr the process exits at once with the
 * exit code set so far (0 unless the command had already failed), with no stack trace. Any other
 * stream error is rethrown, as Node would without a listener.
 */
export function endQuietlyOnClosedPipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: Error) => {
      if (!hasErrnoCode(error, 'EPIPE')) throw error;
      const code = process.exitCode;
      process.exit(typeof code === 'number' ? code : 0);
    });
  }
}
