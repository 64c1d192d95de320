/**
 * True when a process with this pid exists on this machine: signal 0 checks without signalling, and
 * EPERM means it exists but belongs to someone else. For the pid a local service publishes beside its
 * endpoint (dynalite's store, `tributary up`, the Firehose endpoint, a query-result directory).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return typeof err === 'object' && err !== null && Reflect.get(err, 'code') === 'EPERM';
  }
}
