/**
 * The streaming-ingest server alone, in its own process (for bench:ingest and the kill test's full
 * run): the local Firehose on `<home>` with one stream `bench` into `raw/bench/` (newline-delimited,
 * `.jsonl`, 5 MiB / 1 s buffers), its endpoint on a free loopback port, printed as `URL <url>`.
 * SIGTERM delivers what is buffered and exits; SIGKILL is the crash the journal is for.
 */
import * as path from 'node:path';
import { FirehoseEndpoint } from '../../infra/emulators/firehose/firehose-endpoint';
import { LocalFirehose } from '../../infra/emulators/firehose/local-firehose';
import { FolderObjectStore } from '../../infra/emulators/object-store/folder-object-store';

async function main(): Promise<void> {
  const home = process.argv[2];
  if (home === undefined) throw new Error('usage: ingest-server-child.ts <home>');
  const firehose = await LocalFirehose.open({ dir: path.join(home, 'state', 'firehose'), objects: new FolderObjectStore({ home }) });
  await firehose.ensureDeliveryStream(() => ({
    id: 'bench',
    name: 'bench',
    createdAtMs: Date.now(),
    bucket: 'tributary-raw',
    roleArn: 'arn:aws:iam::000000000000:role/bench',
    prefix: 'bench/',
    sizeBytes: 5 * 1024 * 1024,
    intervalMs: 1000,
    compression: 'UNCOMPRESSED',
    delimiter: '\n',
    fileExtension: '.jsonl',
    tags: [],
  }));
  const endpoint = await FirehoseEndpoint.start(firehose, 0);
  process.stdout.write(`URL ${endpoint.url}\n`);
  process.once('SIGTERM', () => {
    void (async () => {
      await endpoint.close();
      await firehose.close();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
