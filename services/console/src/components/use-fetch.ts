// Loading a gateway read in a view: { data, error, loading, reload }.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../client.ts';

export interface Fetched<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replace the data (live updates patch it in place). */
  set: (update: (old: T | undefined) => T | undefined) => void;
}

export function useFetch<T>(path: string | undefined): Fetched<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: path !== undefined });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === undefined) return;
    const controller = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    api.get<T>(path, controller.signal).then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error, loading: false });
      },
    );
    return () => controller.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const set = useCallback((update: (old: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: update(s.data) })), []);
  return { data: state.data, error: state.error, loading: state.loading, reload, set };
}
