import { GlueServiceException, StartCrawlerCommand } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { GlueCrawler } from '../../../../infra/aws/adapters/glue-crawler';
import { CrawlerRunningError } from '../../../../handlers/ports/crawler';
import { crawlerContract } from '../../../handlers/ports/crawler.contract';
import { GlueEmulator } from './glue-emulator';

const role = 'arn:aws:iam::123456789012:role/tributary-crawler';

crawlerContract('GlueCrawler (aws-sdk-client-mock emulating Glue crawlers)', async () => {
  const glue = new GlueEmulator();
  return {
    crawler: new GlueCrawler(glue.client, { role }),
    database: 'tributary',
    target: 's3://tributary-raw-123456789012-us-east-1/traffic/',
    waitForRun: async (name) => glue.finishRun(name),
    dispose: async () => glue.restore(),
  };
});

describe('GlueCrawler', () => {
  it('translates CrawlerRunningException into the retryable CrawlerRunningError, keeping the cause', async () => {
    const glue = new GlueEmulator();
    const crawler = new GlueCrawler(glue.client, { role });
    await crawler.createCrawler({ Name: 'tributary-traffic-raw', DatabaseName: 'tributary', Targets: { S3Targets: [{ Path: 's3://b/traffic/' }] } });
    await crawler.startCrawler('tributary-traffic-raw');
    const error = await crawler.startCrawler('tributary-traffic-raw').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrawlerRunningError);
    expect(error).toMatchObject({ retryable: true, cause: expect.objectContaining({ name: 'CrawlerRunningException' }) });
    glue.restore();
  });

  it('refuses to create a crawler without a role, and marks throttling retryable', async () => {
    const glue = new GlueEmulator();
    await expect(new GlueCrawler(glue.client).createCrawler({ Name: 'c', DatabaseName: 'd', Targets: { S3Targets: [] } })).rejects.toMatchObject({ name: 'InvalidInputException', retryable: false });
    const mock = mockClient(glue.client);
    mock.on(StartCrawlerCommand).rejects(new GlueServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: {} }));
    await expect(new GlueCrawler(glue.client).startCrawler('c')).rejects.toMatchObject({ retryable: true });
    mock.restore();
    glue.restore();
  });
});
