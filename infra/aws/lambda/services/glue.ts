import { GlueClient } from '@aws-sdk/client-glue';
import type { StageDeps } from '../../../../handlers/stage-deps';
import { GlueCatalog } from '../../adapters/glue-catalog';
import { GlueCrawler } from '../../adapters/glue-crawler';

/** A new Glue client (region and credentials from the Lambda environment). */
export const client = (): GlueClient => new GlueClient({});

/** The Glue Data Catalog and crawlers. */
export function ports(glue: GlueClient): Pick<StageDeps, 'catalog' | 'crawler'> {
  return { catalog: new GlueCatalog(glue), crawler: new GlueCrawler(glue) };
}
