import { GlueClient, ListCrawlsCommand } from '@aws-sdk/client-glue';
import { GlueCatalog } from '../../../../infra/aws/adapters/glue-catalog';
import { GlueCrawler } from '../../../../infra/aws/adapters/glue-crawler';
import { catalogContract, tableInput } from '../../../handlers/ports/catalog.contract';
import { crawlerContract } from '../../../handlers/ports/crawler.contract';
import { MOTO_ACCOUNT, describeOnMoto } from '../moto/moto-server';

/**
 * The Glue adapters over the wire: the catalog and crawler contracts against moto's Glue with the
 * unmodified SDK client. moto reports a finished crawl's LastCrawl.Status as COMPLETED where Glue's
 * model documents SUCCEEDED; `serve.py` corrects that, so the contract asserts the documented value.
 */
describeOnMoto('Glue adapters over the wire (moto server)', (moto) => {
  const client = (): GlueClient => new GlueClient(moto().clientConfig);

  catalogContract('GlueCatalog on moto', async () => {
    await moto().reset();
    const glue = client();
    return { catalog: new GlueCatalog(glue), dispose: async () => glue.destroy() };
  });

  it('GlueCatalog splits partition batches to Glue limits (100 per create, 25 per delete) and follows NextToken', async () => {
    await moto().reset();
    const glue = client();
    const catalog = new GlueCatalog(glue);
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', tableInput('t'));
    const parts = Array.from({ length: 230 }, (_, i) => ({ Values: [String(i)], StorageDescriptor: { Columns: [], Location: `s3://b/t/dt=${i}/` } }));
    expect(await catalog.batchCreatePartition('lake', 't', parts)).toEqual({ alreadyExists: [] });
    expect(await catalog.getPartitions('lake', 't')).toHaveLength(230);
    await catalog.batchDeletePartition('lake', 't', parts.slice(0, 60).map((p) => p.Values));
    expect(await catalog.getPartitions('lake', 't')).toHaveLength(170);
    glue.destroy();
  });

  crawlerContract('GlueCrawler on moto', async () => {
    await moto().reset();
    // A crawl stays RUNNING until it is listed once (moto's crawls otherwise end the moment they start).
    await moto().setTransition('glue::crawl', { progression: 'manual', times: 1 });
    const glue = client();
    return {
      crawler: new GlueCrawler(glue, { role: `arn:aws:iam::${MOTO_ACCOUNT}:role/tributary-crawler` }),
      database: 'tributary',
      target: `s3://tributary-raw-${MOTO_ACCOUNT}-us-east-1/traffic/`,
      waitForRun: async (name) => {
        await glue.send(new ListCrawlsCommand({ CrawlerName: name }));
      },
      dispose: async () => {
        await moto().setTransition('glue::crawl', { progression: 'immediate' });
        glue.destroy();
      },
    };
  });
});
