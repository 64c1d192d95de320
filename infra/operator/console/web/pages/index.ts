import type { PageEntry } from './page-entry';
import { PipelinePage } from './pipeline-page';
import { RunsPage } from './runs-page';

/**
 * The console's pages, in nav order: one file per page (`<name>-page.tsx`), one entry here. The
 * shell draws the nav from this list and routes `#/<path>[/<sub-path>]` to the component.
 */
export const pages: readonly PageEntry[] = [
  { path: 'pipeline', title: 'Pipeline', component: PipelinePage },
  { path: 'runs', title: 'Runs', component: RunsPage },
];
