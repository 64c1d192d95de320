import { CrawlerRunningError, type CrawlerInput, type CrawlerPort } from '../../../handlers/ports/crawler';

/** A fresh crawler service for one test, a database, and an S3 target that holds one data file. */
export interface CrawlerFixture {
  readonly crawler: CrawlerPort;
  readonly database: string;
  readonly target: string;
  /** Resolves once the named crawler's current run has finished. */
  readonly waitForRun: (name: string) => Promise<void>;
  readonly dispose: () => Promise<void>;
}

/**
 * The CrawlerPort contract: every adapter (local DuckDB crawler, Glue with the SDK mocked) passes it.
 * It covers the API's state machine and errors, not schema inference (the local adapter's own tests
 * check that against the research note).
 */
export function crawlerContract(adapterName: string, makeFixture: () => Promise<CrawlerFixture>): void {
  describe(`CrawlerPort contract: ${adapterName}`, () => {
    let f: CrawlerFixture;
    const input = (name: string): CrawlerInput => ({ Name: name, DatabaseName: f.database, Targets: { S3Targets: [{ Path: f.target }] } });
    beforeEach(async () => {
      f = await makeFixture();
    });
    afterEach(async () => f.dispose());

    it('creates a crawler that reads back READY with its definition', async () => {
      await f.crawler.createCrawler({ ...input('c1'), TablePrefix: 'raw_' });
      const got = await f.crawler.getCrawler('c1');
      expect(got).toMatchObject({ Name: 'c1', DatabaseName: f.database, State: 'READY', TablePrefix: 'raw_', Targets: { S3Targets: [{ Path: f.target }] } });
      expect(got?.LastCrawl).toBeUndefined();
    });

    it('rejects a second crawler with the same name (AlreadyExistsException)', async () => {
      await f.crawler.createCrawler(input('c1'));
      await expect(f.crawler.createCrawler(input('c1'))).rejects.toMatchObject({ name: 'AlreadyExistsException' });
    });

    it('answers undefined for an unknown crawler and refuses to start it (EntityNotFoundException)', async () => {
      expect(await f.crawler.getCrawler('ghost')).toBeUndefined();
      await expect(f.crawler.startCrawler('ghost')).rejects.toMatchObject({ name: 'EntityNotFoundException', retryable: false });
    });

    it('starts asynchronously; a second start while running fails with CrawlerRunningException', async () => {
      await f.crawler.createCrawler(input('c1'));
      await f.crawler.startCrawler('c1');
      expect((await f.crawler.getCrawler('c1'))?.State).toBe('RUNNING');
      const second = f.crawler.startCrawler('c1');
      await expect(second).rejects.toBeInstanceOf(CrawlerRunningError);
      await expect(second).rejects.toMatchObject({ name: 'CrawlerRunningException', retryable: true });
      await f.waitForRun('c1');
      const done = await f.crawler.getCrawler('c1');
      expect(done).toMatchObject({ State: 'READY', LastCrawl: { Status: 'SUCCEEDED' } });
      expect(Date.parse(done?.LastCrawl?.StartTime ?? '')).not.toBeNaN();
    });

    it('can be started again once the run has finished', async () => {
      await f.crawler.createCrawler(input('c1'));
      await f.crawler.startCrawler('c1');
      await f.waitForRun('c1');
      await f.crawler.startCrawler('c1');
      await f.waitForRun('c1');
      expect((await f.crawler.getCrawler('c1'))?.State).toBe('READY');
    });
  });
}
