import { CreateCrawlerCommand, GetCrawlerCommand, StartCrawlerCommand, type Crawler as SdkCrawler, type GlueClient } from '@aws-sdk/client-glue';
import {
  CrawlerAlreadyExistsError,
  CrawlerError,
  CrawlerNotFoundError,
  CrawlerRunningError,
  CrawlerState,
  InvalidCrawlerInputError,
  LastCrawlStatus,
  type Crawler,
  type CrawlerInput,
  type CrawlerPort,
} from '../../../handlers/ports/crawler';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';
import { isoOf } from './glue-shapes';

const states: ReadonlySet<string> = new Set(Object.values(CrawlerState));
const statuses: ReadonlySet<string> = new Set(Object.values(LastCrawlStatus));
const isState = (value: string | undefined): value is CrawlerState => value !== undefined && states.has(value);
const isStatus = (value: string | undefined): value is LastCrawlStatus => value !== undefined && statuses.has(value);

/**
 * The crawler port on Glue crawlers. `startCrawler` on a crawler that is not READY rejects with
 * CrawlerRunningError (Glue's `CrawlerRunningException`), which is retryable and never swallowed: the
 * request-crawl stage records it as a pending crawl and the crawl's end honours it. Crawlers are
 * created by the stack, so `createCrawler` needs the crawler role given at construction.
 */
export class GlueCrawler implements CrawlerPort {
  constructor(
    private readonly client: GlueClient,
    private readonly options: { readonly role?: string } = {},
  ) {}

  async createCrawler(input: CrawlerInput): Promise<void> {
    if (this.options.role === undefined) throw new InvalidCrawlerInputError(`cannot create crawler ${input.Name}: no crawler role configured (the stack creates Tributary's crawlers)`);
    const role = this.options.role;
    await this.call(input.Name, () =>
      this.client.send(
        new CreateCrawlerCommand({
          Name: input.Name,
          Role: role,
          DatabaseName: input.DatabaseName,
          Targets: { S3Targets: input.Targets.S3Targets.map((t) => ({ Path: t.Path, Exclusions: t.Exclusions === undefined ? undefined : [...t.Exclusions], EventQueueArn: t.EventQueueArn })) },
          TablePrefix: input.TablePrefix,
          SchemaChangePolicy: input.SchemaChangePolicy,
          RecrawlPolicy: input.RecrawlPolicy,
          Configuration: input.Configuration,
        }),
      ),
    );
  }

  async getCrawler(name: string): Promise<Crawler | undefined> {
    try {
      const out = await this.client.send(new GetCrawlerCommand({ Name: name }));
      return out.Crawler ? crawlerOf(out.Crawler) : undefined;
    } catch (error) {
      if (awsErrorCode(error) === 'EntityNotFoundException') return undefined;
      throw translate(error, name);
    }
  }

  async startCrawler(name: string): Promise<void> {
    await this.call(name, () => this.client.send(new StartCrawlerCommand({ Name: name })));
  }

  private async call<T>(name: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translate(error, name);
    }
  }
}

function translate(error: unknown, name: string): CrawlerError {
  switch (awsErrorCode(error)) {
    case 'CrawlerRunningException':
      return new CrawlerRunningError(name, { cause: error });
    case 'EntityNotFoundException':
      return new CrawlerNotFoundError(name, { cause: error });
    case 'AlreadyExistsException':
      return new CrawlerAlreadyExistsError(name, { cause: error });
    case 'InvalidInputException':
      return new InvalidCrawlerInputError(`crawler ${name}: ${awsErrorMessage(error)}`, { cause: error });
    default:
      return new CrawlerError(`Glue ${awsErrorCode(error)} on crawler ${name}: ${awsErrorMessage(error)}`, isTransientAwsError(error), { cause: error });
  }
}

function crawlerOf(c: SdkCrawler): Crawler {
  const state = c.State;
  if (!isState(state)) throw new CrawlerError(`crawler ${c.Name} reports an unknown state ${String(state)}`, true);
  const last = c.LastCrawl;
  const status = last?.Status;
  return {
    Name: c.Name ?? '',
    DatabaseName: c.DatabaseName ?? '',
    Targets: { S3Targets: (c.Targets?.S3Targets ?? []).map((t) => ({ Path: t.Path ?? '', ...(t.Exclusions === undefined ? {} : { Exclusions: t.Exclusions }), ...(t.EventQueueArn === undefined ? {} : { EventQueueArn: t.EventQueueArn }) })) },
    ...(c.TablePrefix === undefined ? {} : { TablePrefix: c.TablePrefix }),
    ...(c.Configuration === undefined ? {} : { Configuration: c.Configuration }),
    State: state,
    ...(last && isStatus(status)
      ? {
          LastCrawl: {
            Status: status,
            StartTime: isoOf(last.StartTime) ?? '',
            ...(last.ErrorMessage === undefined ? {} : { ErrorMessage: last.ErrorMessage }),
            ...(last.LogGroup === undefined ? {} : { LogGroup: last.LogGroup }),
            ...(last.LogStream === undefined ? {} : { LogStream: last.LogStream }),
            ...(last.MessagePrefix === undefined ? {} : { MessagePrefix: last.MessagePrefix }),
          },
        }
      : {}),
    CreationTime: isoOf(c.CreationTime) ?? '',
    LastUpdated: isoOf(c.LastUpdated) ?? '',
    CrawlElapsedTime: c.CrawlElapsedTime ?? 0,
    Version: c.Version ?? 0,
  };
}
