import type { FunctionComponent } from 'preact';

/** What a page component gets: the route's sub-path after `#/<path>/` (e.g. a run id), or ''. */
export interface PageProps {
  readonly subPath: string;
}

/** One page of the console: `#/<path>` shows `component`; `title` is its nav label. */
export interface PageEntry {
  readonly path: string;
  readonly title: string;
  readonly component: FunctionComponent<PageProps>;
}
