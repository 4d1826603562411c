// Compare runs (?runs=a,b,c): metric curves overlaid by step (uPlot) and a
// params/metrics diff table; live as the runs log more.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ViewProps } from '../types.ts';
import { href, listParam } from '../../router.ts';
import { api } from '../../client.ts';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import { useLive } from '../../components/use-live.ts';
import { LineChart, colorOf, type Series } from '../../components/line-chart/line-chart.tsx';
import { Link, navigate } from '../../nav.tsx';
import { formatNumber } from '../../format.ts';
import type { MetricPoint, Run, StreamEvent } from '../../types.ts';
import { diffRuns } from './diff.ts';

const MAX_CHARTS = 6;

export function CompareView(props: ViewProps) {
  const ids = listParam(props.query, 'runs');
  const chosen = listParam(props.query, 'metrics');
  const onlyDiff = props.query.get('diff') === '1';
  const [runs, setRuns] = useState<Run[] | undefined>();
  const [history, setHistory] = useState<Record<string, Record<string, MetricPoint[]>>>({});
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const key = ids.join(',');

  useEffect(() => {
    const controller = new AbortController();
    setError(undefined);
    Promise.all(ids.map((id) => api.get<Run>(`/v1/runs/${encodeURIComponent(id)}`, controller.signal))).then(setRuns, (e: unknown) => !controller.signal.aborted && setError(e));
    return () => controller.abort();
  }, [key, tick]);

  const metricKeys = useMemo(() => [...new Set((runs ?? []).flatMap((r) => Object.keys(r.latestMetrics)))].sort(), [runs]);
  const charted = chosen.length ? chosen.filter((k) => metricKeys.includes(k)) : metricKeys.slice(0, MAX_CHARTS);

  useEffect(() => {
    if (!runs) return;
    const controller = new AbortController();
    const wanted = runs.flatMap((r) => charted.filter((k) => r.latestMetrics[k]).map((k) => [r.runId, k] as const));
    Promise.all(wanted.map(([runId, k]) => api.get<{ metrics: MetricPoint[] }>(`/v1/runs/${encodeURIComponent(runId)}/metrics/${encodeURIComponent(k)}`, controller.signal).then((h) => [runId, k, h.metrics] as const))).then(
      (all) => {
        const next: Record<string, Record<string, MetricPoint[]>> = {};
        for (const [runId, k, points] of all) (next[k] ??= {})[runId] = points;
        setHistory(next);
      },
      (e: unknown) => !controller.signal.aborted && setError(e),
    );
    return () => controller.abort();
  }, [runs, charted.join(',')]);

  // Live: any event of a compared run reloads them (debounced).
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLive(ids.length ? `/v1/streams/runs?runs=${encodeURIComponent(ids.slice(0, 100).join(','))}` : undefined, (event: StreamEvent<{ runId?: string }>) => {
    if (!event.value.runId || !ids.includes(event.value.runId)) return;
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      setTick((t) => t + 1);
    }, 500);
  });

  const setQuery = (patch: Record<string, string | undefined>) => navigate(href({ view: 'compare' }, { runs: key, metrics: chosen.join(','), diff: onlyDiff ? '1' : undefined, ...patch }), { replace: true });
  if (ids.length === 0) return <Empty>Select runs in a runs table and press Compare (or open /ui/compare?runs=id1,id2).</Empty>;
  if (error) return <ErrorBox error={error} retry={() => setTick((t) => t + 1)} />;
  if (!runs) return <Loading what="runs" />;
  const rows = diffRuns(runs).filter((r) => !onlyDiff || r.differs);
  const nameOf = (r: Run) => r.runName || r.runId;
  return (
    <section data-testid="view-compare">
      <div class="crumbs">
        <Link href={href({ view: 'runs', experimentId: runs[0]!.experimentId })}>Runs</Link> / compare {runs.length}
      </div>
      <h1>Compare {runs.length} runs</h1>
      <div class="toolbar">
        <span class="muted">Metrics:</span>
        {metricKeys.map((k) => (
          <label key={k}>
            <input type="checkbox" data-testid="compare-metric" data-metric={k} checked={charted.includes(k)} onChange={() => setQuery({ metrics: (charted.includes(k) ? charted.filter((c) => c !== k) : [...charted, k]).join(',') })} /> {k}
          </label>
        ))}
      </div>
      <div class="grid2">
        {charted.map((k) => {
          const series: Series[] = runs.map((r) => ({ label: nameOf(r), points: (history[k]?.[r.runId] ?? []).map((p) => [p.step, p.value] as [number, number]) }));
          return <LineChart key={k} title={k} series={series} xLabel="step" testid="compare-chart" />;
        })}
      </div>
      <h2>
        Params and metrics{' '}
        <label class="muted">
          <input type="checkbox" data-testid="diff-only" checked={onlyDiff} onChange={() => setQuery({ diff: onlyDiff ? undefined : '1' })} /> only differences
        </label>
      </h2>
      <table class="plain" data-testid="diff-table">
        <thead>
          <tr>
            <th>Key</th>
            {runs.map((r, i) => (
              <th key={r.runId} data-run-id={r.runId} style={{ color: colorOf(i) }}>
                <Link href={href({ view: 'run', runId: r.runId })}>{nameOf(r)}</Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.kind}:${row.key}`} class={row.differs ? 'differs' : ''} data-testid="diff-row" data-key={`${row.kind === 'param' ? 'params' : 'metrics'}.${row.key}`} data-differs={String(row.differs)}>
              <td>
                {row.kind === 'param' ? 'param ' : 'metric '}
                <code>{row.key}</code>
              </td>
              {row.values.map((v, i) => (
                <td key={i} class={typeof v === 'number' ? 'num' : ''} data-value={v === undefined ? '' : String(v)}>
                  {typeof v === 'number' ? formatNumber(v) : (v ?? '—')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
