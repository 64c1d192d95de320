import { ListObjectsV2Command, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectStore } from '../../../../infra/aws/adapters/s3-object-store';
import { objectStoreContract } from '../../../handlers/ports/object-store.contract';
import { S3Emulator } from './s3-emulator';

const raw = 'tributary-raw-123456789012-us-east-1';
const quarantine = 'tributary-quarantine-123456789012-us-east-1';

objectStoreContract('S3ObjectStore (aws-sdk-client-mock emulating S3)', async () => {
  const s3 = new S3Emulator([raw, quarantine]);
  return { store: new S3ObjectStore(s3.client, [raw, quarantine]), bucket: raw, otherBucket: quarantine, unknownBucket: 'someone-elses-bucket', close: async () => s3.restore() };
});

describe('S3ObjectStore', () => {
  it('pages through a listing with continuation tokens', async () => {
    const s3 = new S3Emulator([raw], 2);
    const store = new S3ObjectStore(s3.client, [raw]);
    for (let i = 0; i < 7; i += 1) await store.putObject(raw, `p/${i}`, String(i));
    expect((await store.listObjects(raw, 'p/')).map((o) => o.key)).toEqual(['p/0', 'p/1', 'p/2', 'p/3', 'p/4', 'p/5', 'p/6']);
    s3.restore();
  });

  it('marks throttling and 5xx as retryable and access denied as poison', async () => {
    const s3 = new S3Emulator([raw]);
    const store = new S3ObjectStore(s3.client, [raw]);
    const mock = mockClient(s3.client);
    mock.on(PutObjectCommand).rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: {} }));
    mock.on(ListObjectsV2Command).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: {} }));
    await expect(store.putObject(raw, 'k', 'x')).rejects.toMatchObject({ code: 'SlowDown', retryable: true });
    await expect(store.listObjects(raw, '')).rejects.toMatchObject({ code: 'AccessDenied', retryable: false });
    mock.restore();
    s3.restore();
  });
});
