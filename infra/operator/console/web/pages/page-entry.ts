import type { FunctionComponent } from 'preact';

/** What a page component gets: the route's sub-path after `#/<path>/` (e.g. a run id), or ''. */
export interface PageProps {
  readonly subPath: string;
  /** True when the console shows the deployed stack (`tributary console --aws`), not a local home. */
  readonly aws?: boolean;
}

/** One page of the console: `#/<path>` shows `component`; `title` is its nav label. */
export interface PageEntry {
  readonly path: string;
  readonly title: string;
  readonly component: FunctionComponent<PageProps>;
  /** Set when the page has no source in the deployed stack: what the page says instead with `--aws`. */
  readonly awsNote?: string;
}
