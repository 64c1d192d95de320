import { CatalogPage } from './catalog-page';
import { DeadLettersPage } from './dead-letters-page';
import { EventsPage } from './events-page';
import { ForecastsPage } from './forecasts-page';
import type { PageEntry } from './page-entry';
import { PipelinePage } from './pipeline-page';
import { RunsPage } from './runs-page';
import { SqlPage } from './sql-page';

/**
 * The console's pages, in nav order: one file per page (`<name>-page.tsx`), one entry here. The
 * shell draws the nav from this list and routes `#/<path>[/<sub-path>]` to the component.
 */
export const pages: readonly PageEntry[] = [
  { path: 'pipeline', title: 'Pipeline', component: PipelinePage },
  { path: 'runs', title: 'Runs', component: RunsPage },
  { path: 'events', title: 'Events', component: EventsPage },
  { path: 'dead-letters', title: 'Dead letters', component: DeadLettersPage },
  { path: 'catalog', title: 'Catalog', component: CatalogPage },
  { path: 'sql', title: 'SQL', component: SqlPage },
  { path: 'forecasts', title: 'Forecasts', component: ForecastsPage },
];
