import { useCallback, useEffect, useState } from 'preact/hooks';
import { getJson, type Parser } from './api';

/** The state of a fetched resource. */
export interface ApiState<T> {
  readonly data?: T;
  readonly error?: string;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Fetches `path` (re-fetching whenever it changes, or on `reload`) and parses it with `schema`; keeps
 * the previous data while a new request is in flight so tables do not flash. `path` undefined: idle.
 */
export function useApi<T>(path: string | undefined, schema: Parser<T>): ApiState<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: path !== undefined });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === undefined) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    getJson(path, schema).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState((s) => ({ ...s, error: error instanceof Error ? error.message : String(error), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
