import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../../infra/aws/adapters/s3-object-store';
import { objectStoreContract } from '../../../handlers/ports/object-store.contract';
import { describeOnMoto } from '../moto/moto-server';

const raw = 'tributary-raw-123456789012-us-east-1';
const quarantine = 'tributary-quarantine-123456789012-us-east-1';

describeOnMoto('S3ObjectStore over the wire (moto server)', (moto) => {
  /** An unmodified S3 client on moto; path-style, since bucket host names do not resolve on loopback. */
  const client = (): S3Client => new S3Client({ ...moto().clientConfig, forcePathStyle: true });

  async function freshStore(): Promise<{ store: S3ObjectStore; s3: S3Client }> {
    await moto().reset();
    const s3 = client();
    for (const Bucket of [raw, quarantine]) await s3.send(new CreateBucketCommand({ Bucket }));
    return { store: new S3ObjectStore(s3, [raw, quarantine]), s3 };
  }

  objectStoreContract('S3ObjectStore on moto', async () => {
    const { store, s3 } = await freshStore();
    return { store, bucket: raw, otherBucket: quarantine, unknownBucket: 'someone-elses-bucket', close: async () => s3.destroy() };
  });

  it('keeps keys with spaces, unicode, "+" and "%" exact through put, head, list, copy and move', async () => {
    const { store, s3 } = await freshStore();
    const keys = ['traffic/a b/c d.json', 'traffic/ünï/çødé ✓.json', 'traffic/x+y=z.json', 'traffic/100%/50%25.json', 'traffic/q?a=1&b#2.json'];
    for (const key of keys) await store.putObject(raw, key, key);
    expect((await store.listObjects(raw, 'traffic/')).map((o) => o.key)).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const key of keys) {
      expect(await store.headObject(raw, key)).toMatchObject({ size: Buffer.byteLength(key) });
      await store.copyObject({ bucket: raw, key }, { bucket: quarantine, key: `copy/${key}` });
      expect((await store.getObject(quarantine, `copy/${key}`)).toString()).toBe(key);
      await store.moveObject({ bucket: quarantine, key: `copy/${key}` }, { bucket: quarantine, key: `moved/${key}` });
    }
    expect((await store.listObjects(quarantine, 'moved/')).map((o) => o.key.slice('moved/'.length)).sort()).toEqual([...keys].sort());
    expect(await store.listObjects(quarantine, 'copy/')).toEqual([]);
    expect(await store.headObject(raw, 'traffic/x y=z.json')).toBeUndefined();
    s3.destroy();
  });

  it('pages a listing of more than 1,000 keys (ListObjectsV2 returns at most 1,000 per page)', async () => {
    const { store, s3 } = await freshStore();
    const keys = Array.from({ length: 1_001 }, (_, i) => `many/${String(i).padStart(5, '0')}.json`);
    for (let i = 0; i < keys.length; i += 100) await Promise.all(keys.slice(i, i + 100).map((Key) => s3.send(new PutObjectCommand({ Bucket: raw, Key, Body: 'x' }))));
    const listed = await store.listObjects(raw, 'many/');
    expect(listed).toHaveLength(keys.length);
    expect(listed.map((o) => o.key)).toEqual(keys);
    s3.destroy();
  });
});
