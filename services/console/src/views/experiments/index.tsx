import { useRef } from 'preact/hooks';
import type { ViewProps } from '../types.ts';
import { useLive } from '../../components/use-live.ts';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import { useFetch } from '../../components/use-fetch.ts';
import { Link } from '../../nav.tsx';
import { href } from '../../router.ts';
import { formatTime } from '../../format.ts';
import type { Experiment, StreamEvent } from '../../types.ts';

/** Experiments, newest first, each linking to its runs table. */
export function ExperimentsView(_props: ViewProps) {
  const list = useFetch<{ experiments: Experiment[] }>('/v1/experiments');
  const experiments = [...(list.data?.experiments ?? [])].sort((a, b) => b.creationTime - a.creationTime);
  // Live: a run started in an experiment not listed yet (runs name experiments implicitly) reloads the list.
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLive('/v1/streams/runs', (event: StreamEvent<{ experimentId?: string | null; experiment?: string }>) => {
    if (event.type !== 'RunStarted') return;
    const known = experiments.some((e) => e.experimentId === event.value.experimentId || e.name === event.value.experiment);
    if (known) return;
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      list.reload();
    }, 300);
  });
  return (
    <section data-testid="view-experiments">
      <h1>Experiments</h1>
      {list.error ? <ErrorBox error={list.error} retry={list.reload} /> : null}
      {list.loading && !list.data ? <Loading what="experiments" /> : null}
      {list.data && experiments.length === 0 ? <Empty>No experiments yet. Start a run (MLflow client or POST /v1/runs) and it appears here.</Empty> : null}
      {experiments.length > 0 && (
        <table class="plain" data-testid="experiments-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Id</th>
              <th>Created</th>
              <th>Updated</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => (
              <tr data-testid="experiment-row" data-experiment-id={e.experimentId} key={e.experimentId}>
                <td>
                  <Link href={href({ view: 'runs', experimentId: e.experimentId })}>{e.name}</Link>
                </td>
                <td class="mono">{e.experimentId}</td>
                <td>{formatTime(e.creationTime)}</td>
                <td>{formatTime(e.lastUpdateTime)}</td>
                <td>{e.lifecycleStage}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
