import * as net from 'node:net';
import { hasErrnoCode } from '../../emulators/bus/errno';
import { PortInUseError } from '../../emulators/bus/port-in-use-error';

/**
 * Throws PortInUseError when `port` on 127.0.0.1 cannot be listened on, by briefly listening on it.
 * `up` checks before it opens the pipeline, so a taken port ends it at once instead of after the
 * watcher, bus and stages have started (which kept the process running).
 */
export async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(hasErrnoCode(error, 'EADDRINUSE') ? new PortInUseError(port, error) : error));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
