import { createHash } from 'node:crypto';
import type { ObjectStorePort } from '../../../handlers/ports/object-store';

/** What a contract run needs from an adapter: the store, two of its buckets, and a cleanup. */
export interface ObjectStoreHarness {
  readonly store: ObjectStorePort;
  /** A bucket the store serves (the raw zone), and another one (quarantine) for copies and moves. */
  readonly bucket: string;
  readonly otherBucket: string;
  /** A bucket name the store does not serve. */
  readonly unknownBucket: string;
  close(): Promise<void>;
}

const md5 = (text: string | Buffer): string => createHash('md5').update(text).digest('hex');

/**
 * The one contract suite of ObjectStorePort, run against every adapter: S3 semantics for put, get,
 * head, list, copy, delete and move; ETag equal to the MD5 of the content; invalid keys rejected
 * before any I/O; failures carry `retryable` so stages know what happens next.
 */
export function objectStoreContract(adapter: string, makeHarness: () => Promise<ObjectStoreHarness>): void {
  describe(`ObjectStorePort contract: ${adapter}`, () => {
    let h: ObjectStoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('puts and gets bytes back, with the MD5 hex as etag', async () => {
      const body = Buffer.from([0, 1, 2, 255, 10, 13]);
      const { etag } = await h.store.putObject(h.bucket, 'traffic/a.bin', body);
      expect(etag).toBe(md5(body));
      expect(await h.store.getObject(h.bucket, 'traffic/a.bin')).toEqual(body);
    });

    it('stores strings as UTF-8', async () => {
      await h.store.putObject(h.bucket, 'k/unicode.txt', 'héllo ✓');
      expect((await h.store.getObject(h.bucket, 'k/unicode.txt')).toString('utf8')).toBe('héllo ✓');
    });

    it('heads an object (size, etag, lastModified) and answers undefined for a missing one', async () => {
      const before = Date.now();
      await h.store.putObject(h.bucket, 'h/one.json', '{"a":1}');
      const head = await h.store.headObject(h.bucket, 'h/one.json');
      expect(head).toEqual({ size: 7, etag: md5('{"a":1}'), lastModified: expect.any(Date) });
      expect(head?.lastModified.getTime()).toBeGreaterThanOrEqual(before - 2000);
      expect(await h.store.headObject(h.bucket, 'h/missing.json')).toBeUndefined();
      expect(await h.store.headObject(h.bucket, 'h')).toBeUndefined();
    });

    it('rejects getObject of a missing key with a poison NoSuchKey error', async () => {
      await expect(h.store.getObject(h.bucket, 'nope/x.csv')).rejects.toMatchObject({ code: 'NoSuchKey', retryable: false });
    });

    it('overwrites an object and reports the new etag', async () => {
      await h.store.putObject(h.bucket, 'o/x', 'first');
      const { etag } = await h.store.putObject(h.bucket, 'o/x', 'second, longer');
      expect(etag).toBe(md5('second, longer'));
      expect(await h.store.headObject(h.bucket, 'o/x')).toMatchObject({ size: 14, etag });
    });

    it('lists by plain string prefix, sorted by key as S3 does, recursing into sub-keys', async () => {
      for (const key of ['d/a/1', 'd/a/2', 'd/a-b', 'd/b', 'e/1', 'dz']) await h.store.putObject(h.bucket, key, key);
      expect((await h.store.listObjects(h.bucket, 'd/')).map((o) => o.key)).toEqual(['d/a-b', 'd/a/1', 'd/a/2', 'd/b']);
      expect((await h.store.listObjects(h.bucket, 'd/a')).map((o) => o.key)).toEqual(['d/a-b', 'd/a/1', 'd/a/2']);
      expect((await h.store.listObjects(h.bucket, 'd')).map((o) => o.key)).toEqual(['d/a-b', 'd/a/1', 'd/a/2', 'd/b', 'dz']);
      expect((await h.store.listObjects(h.bucket, '')).length).toBe(6);
      expect(await h.store.listObjects(h.bucket, 'none/')).toEqual([]);
      const [first] = await h.store.listObjects(h.bucket, 'e/');
      expect(first).toEqual({ key: 'e/1', size: 3, lastModified: expect.any(Date) });
    });

    it('copies across buckets, keeping the source', async () => {
      await h.store.putObject(h.bucket, 'c/src.csv', 'a,b\n1,2\n');
      const { etag } = await h.store.copyObject({ bucket: h.bucket, key: 'c/src.csv' }, { bucket: h.otherBucket, key: 'c/dst.csv' });
      expect(etag).toBe(md5('a,b\n1,2\n'));
      expect((await h.store.getObject(h.otherBucket, 'c/dst.csv')).toString()).toBe('a,b\n1,2\n');
      expect(await h.store.headObject(h.bucket, 'c/src.csv')).toBeDefined();
    });

    it('moves (quarantines): the destination has the bytes and the source is gone', async () => {
      await h.store.putObject(h.bucket, 'm/bad.json', '{oops');
      await h.store.moveObject({ bucket: h.bucket, key: 'm/bad.json' }, { bucket: h.otherBucket, key: 'traffic/m/bad.json' });
      expect((await h.store.getObject(h.otherBucket, 'traffic/m/bad.json')).toString()).toBe('{oops');
      expect(await h.store.headObject(h.otherBucket, 'traffic/m/bad.json')).toMatchObject({ size: 5, etag: md5('{oops') });
      expect(await h.store.headObject(h.bucket, 'm/bad.json')).toBeUndefined();
      expect(await h.store.listObjects(h.bucket, 'm/')).toEqual([]);
    });

    it('rejects copy and move of a missing source without creating the destination', async () => {
      const missing = { bucket: h.bucket, key: 'gone/x' };
      const dest = { bucket: h.otherBucket, key: 'gone/y' };
      await expect(h.store.copyObject(missing, dest)).rejects.toMatchObject({ code: 'NoSuchKey', retryable: false });
      await expect(h.store.moveObject(missing, dest)).rejects.toMatchObject({ code: 'NoSuchKey' });
      expect(await h.store.headObject(dest.bucket, dest.key)).toBeUndefined();
    });

    it('deletes, and deleting a missing object succeeds', async () => {
      await h.store.putObject(h.bucket, 'del/x', 'x');
      await h.store.deleteObject(h.bucket, 'del/x');
      expect(await h.store.headObject(h.bucket, 'del/x')).toBeUndefined();
      await expect(h.store.deleteObject(h.bucket, 'del/x')).resolves.toBeUndefined();
      await expect(h.store.deleteObject(h.bucket, 'never/was')).resolves.toBeUndefined();
    });

    it.each([
      ['../escape', /segment/],
      ['a/../../etc/passwd', /segment/],
      ['/abs/path', /relative/],
      ['bad\u0000name', /control character/],
      ['tab\there', /control character/],
      ['a//b', /segment/],
      ['', /empty/],
    ])('rejects the invalid key %j with a clear error and writes nothing', async (key, reason) => {
      await expect(h.store.putObject(h.bucket, key, 'x')).rejects.toMatchObject({ code: 'InvalidKey', retryable: false });
      await expect(h.store.putObject(h.bucket, key, 'x')).rejects.toThrow(reason);
      await expect(h.store.getObject(h.bucket, key)).rejects.toThrow(reason);
      await expect(h.store.headObject(h.bucket, key)).rejects.toThrow(reason);
      await expect(h.store.deleteObject(h.bucket, key)).rejects.toThrow(reason);
      expect(await h.store.listObjects(h.bucket, '')).toEqual([]);
    });

    it('rejects a listing prefix that climbs out of the bucket', async () => {
      await expect(h.store.listObjects(h.bucket, '../other/')).rejects.toMatchObject({ code: 'InvalidKey', retryable: false });
    });

    it('rejects an unknown bucket as poison', async () => {
      await expect(h.store.putObject(h.unknownBucket, 'k', 'x')).rejects.toMatchObject({ code: 'NoSuchBucket', retryable: false });
      await expect(h.store.listObjects(h.unknownBucket, '')).rejects.toMatchObject({ code: 'NoSuchBucket' });
    });

    it('never lets a reader see a half-written object under concurrent overwrites', async () => {
      const big = (c: string): string => c.repeat(1 << 20);
      const writes = ['a', 'b', 'c', 'd'].map((c) => h.store.putObject(h.bucket, 'race/obj', big(c)));
      const seen: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        const body = await h.store.getObject(h.bucket, 'race/obj').catch(() => undefined);
        if (body !== undefined) seen.push(body.toString());
      }
      await Promise.all(writes);
      for (const body of seen) expect(body === big(body[0] ?? '?')).toBe(true);
      const final = (await h.store.getObject(h.bucket, 'race/obj')).toString();
      expect(['a', 'b', 'c', 'd'].map(big)).toContain(final);
      expect(await h.store.listObjects(h.bucket, 'race/')).toHaveLength(1);
    });
  });
}
