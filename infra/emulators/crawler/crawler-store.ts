import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { Crawler } from '../../../handlers/ports/crawler';
import { CrawlerState, DeleteBehavior, InvalidCrawlerInputError, LastCrawlStatus, UpdateBehavior } from '../../../handlers/ports/crawler';
import { readJsonFile, writeJsonAtomic } from '../catalog/atomic-json';
import { CrawlReportSchema, type CrawlReport } from './crawl-report';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

const CrawlerRecordSchema = z.looseObject({
  Name: z.string(),
  DatabaseName: z.string(),
  Targets: z.object({ S3Targets: z.array(z.object({ Path: z.string(), Exclusions: z.array(z.string()).optional(), EventQueueArn: z.string().optional() })) }),
  TablePrefix: z.string().optional(),
  SchemaChangePolicy: z.object({ UpdateBehavior: z.enum(UpdateBehavior).optional(), DeleteBehavior: z.enum(DeleteBehavior).optional() }).optional(),
  RecrawlPolicy: z.object({ RecrawlBehavior: z.enum(['CRAWL_EVERYTHING', 'CRAWL_EVENT_MODE']).optional() }).optional(),
  Configuration: z.string().optional(),
  Classifiers: z.array(z.string()).optional(),
  State: z.enum(CrawlerState),
  LastCrawl: z
    .object({
      Status: z.enum(LastCrawlStatus),
      ErrorMessage: z.string().optional(),
      StartTime: z.string(),
      LogGroup: z.string().optional(),
      LogStream: z.string().optional(),
      MessagePrefix: z.string().optional(),
    })
    .optional(),
  CreationTime: z.string(),
  LastUpdated: z.string(),
  CrawlElapsedTime: z.number(),
  Version: z.number(),
});

/**
 * Crawler definitions, states and last-run reports on disk under `<home>/crawlers/`, one JSON file
 * each (`<name>.json`, `<name>.last-crawl.json`), written atomically so a restart finds them whole.
 */
export class CrawlerStore {
  private readonly dir: string;

  /** A store rooted at `<home>/crawlers`. */
  constructor(home: string) {
    this.dir = path.join(home, 'crawlers');
  }

  /** Checks a crawler name is usable as a file name (Glue allows more; the local store is stricter). */
  static validateName(name: string): string {
    if (!NAME.test(name)) throw new InvalidCrawlerInputError(`Invalid crawler name ${JSON.stringify(name)}: use 1-255 of [A-Za-z0-9_.-], not starting with '.' or '-'.`);
    return name;
  }

  /** The stored crawler, or undefined. */
  async get(name: string): Promise<Crawler | undefined> {
    const file = this.file(name, '.json');
    const raw = await readJsonFile(file);
    if (raw === undefined) return undefined;
    const parsed = CrawlerRecordSchema.safeParse(raw);
    if (!parsed.success) throw new InvalidCrawlerInputError(`Crawler file ${file} is not a valid record: ${parsed.error.message}`);
    return parsed.data;
  }

  /** Replaces the stored crawler. */
  async put(crawler: Crawler): Promise<void> {
    await writeJsonAtomic(this.file(crawler.Name, '.json'), crawler);
  }

  /** Names of all stored crawlers. */
  async names(): Promise<string[]> {
    const files = await fs.readdir(this.dir).catch(() => []);
    return files.filter((f) => f.endsWith('.json') && !f.endsWith('.last-crawl.json') && !f.startsWith('.')).map((f) => f.slice(0, -'.json'.length));
  }

  /** Keeps the report of the latest run (the local crawler's "CloudWatch log"). */
  async putReport(report: CrawlReport): Promise<void> {
    await writeJsonAtomic(this.file(report.crawlerName, '.last-crawl.json'), report);
  }

  /** The report of the latest finished run, or undefined. */
  async getReport(name: string): Promise<CrawlReport | undefined> {
    const file = this.file(name, '.last-crawl.json');
    const raw = await readJsonFile(file);
    if (raw === undefined) return undefined;
    const parsed = CrawlReportSchema.safeParse(raw);
    if (!parsed.success) throw new InvalidCrawlerInputError(`Crawl report ${file} is not valid: ${parsed.error.message}`);
    return parsed.data;
  }

  private file(name: string, suffix: string): string {
    return path.join(this.dir, `${CrawlerStore.validateName(name)}${suffix}`);
  }
}
