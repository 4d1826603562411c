// Model health: per version requests/s, error rate and latency p50/p95/p99
// over a time range (URL: from/to or range), champion vs challenger overlaid,
// and their side-by-side report over the same range.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ViewProps } from '../types.ts';
import type { Route } from '../../router.ts';
import { href, listParam } from '../../router.ts';
import { Link, navigate } from '../../nav.tsx';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import { useFetch } from '../../components/use-fetch.ts';
import { TimeChart, PALETTE, type TimeSeries } from '../../components/line-chart/time-chart.tsx';
import type { HealthPoint, VersionReport } from '../api-types.ts';
import { bucketSecondsFor, championAndChallenger, healthSeries, RANGES, resolveRange, summary, type Metric, type RegisteredModel } from './series.ts';
import { when } from '../format.ts';

const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(2)} %`);
const ms = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)} ms`);

export function HealthView(props: ViewProps) {
  const route = props.route as Extract<Route, { view: 'health' }>;
  const model = route.model;
  const enc = encodeURIComponent(model);
  const q = props.query;
  const relative = !q.get('from');
  const [now, setNow] = useState(() => Date.now());
  const { from, to, range } = useMemo(() => resolveRange(q, now), [q.toString(), now]);
  const bucketSeconds = bucketSecondsFor(from, to);
  const registered = useFetch<RegisteredModel>(`/v1/models/${enc}`);
  const { champion, challenger } = championAndChallenger(registered.data);
  const picked = listParam(q, 'versions').map(Number).filter((v) => Number.isInteger(v));
  const health = useFetch<{ points: HealthPoint[] }>(`/v1/models/${enc}/health?from=${from}&to=${to}&bucketSeconds=${bucketSeconds}`);
  const pair = picked.length === 2 ? { champion: picked[0], challenger: picked[1] } : { champion, challenger };
  const compare = useFetch<{ champion: VersionReport; challenger: VersionReport }>(pair.champion !== undefined && pair.challenger !== undefined ? `/v1/models/${enc}/compare?from=${from}&to=${to}&champion=${pair.champion}&challenger=${pair.challenger}` : undefined);
  // A relative range follows the clock: refreshed every 15 s.
  useEffect(() => {
    if (!relative) return;
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, [relative]);

  const points = health.data?.points ?? [];
  const all = [...new Set(points.map((p) => p.version))].sort((a, b) => a - b);
  const shown = picked.length ? picked.filter((v) => all.includes(v)) : [pair.champion, pair.challenger].filter((v): v is number => v !== undefined && all.includes(v)).length ? [pair.champion, pair.challenger].filter((v): v is number => v !== undefined && all.includes(v)) : all;
  const series = useMemo(() => healthSeries(points, from, to, bucketSeconds, shown), [health.data, from, to, bucketSeconds, shown.join(',')]);
  const lines = (metric: Metric, dash?: number[]): TimeSeries[] => shown.map((v, i) => ({ label: `v${v}${v === pair.champion ? ' (champion)' : v === pair.challenger ? ' (challenger)' : ''} ${metric}`, stroke: PALETTE[i % PALETTE.length]!, dash, values: series.values[v]![metric] }));
  const setRange = (name: string) => navigate(href(route, { range: name, versions: q.get('versions') ?? undefined }));
  const setVersions = (vs: number[]) => navigate(href(route, relative ? { range, versions: vs.join(',') } : { from, to, versions: vs.join(',') }), { replace: true });

  return (
    <section style={{ display: 'block' }} data-testid="view-health" data-model={model} data-from={from} data-to={to}>
      <div class="crumbs">
        <Link href={href({ view: 'registry' })}>Registry</Link> / <Link href={href({ view: 'model', model })}>{model}</Link> / health
      </div>
      <h1>Health · {model}</h1>
      <div class="toolbar" data-testid="health-range">
        {Object.keys(RANGES).map((name) => (
          <button type="button" aria-pressed={relative && range === name} style={relative && range === name ? { borderColor: 'var(--accent)', fontWeight: 600 } : undefined} data-testid={`range-${name}`} onClick={() => setRange(name)}>
            Last {name}
          </button>
        ))}
        <label>
          From <input type="datetime-local" data-testid="range-from" value={new Date(from).toISOString().slice(0, 16)} onChange={(e) => navigate(href(route, { from: Date.parse(`${(e.currentTarget as HTMLInputElement).value}Z`) || from, to, versions: q.get('versions') ?? undefined }))} />
        </label>
        <label>
          To <input type="datetime-local" data-testid="range-to" value={new Date(to).toISOString().slice(0, 16)} onChange={(e) => navigate(href(route, { from, to: Date.parse(`${(e.currentTarget as HTMLInputElement).value}Z`) || to, versions: q.get('versions') ?? undefined }))} />
        </label>
        <span class="muted">
          {when(from)} → {when(to)} UTC, {bucketSeconds / 60} min buckets
        </span>
        <Link href={href({ view: 'drift', model })}>Drift</Link>
      </div>
      {health.error ? (
        <ErrorBox error={health.error} retry={health.reload} />
      ) : !health.data ? (
        <Loading what="model health" />
      ) : !points.length ? (
        <Empty>No predictions of {model} between {when(from)} and {when(to)} UTC. Pick a longer range or send traffic.</Empty>
      ) : (
        <>
          <div class="toolbar">
            Versions:
            {all.map((v) => (
              <label>
                <input type="checkbox" data-testid="health-version" data-version={v} checked={shown.includes(v)} onChange={() => setVersions(shown.includes(v) ? shown.filter((x) => x !== v) : [...shown, v].sort((a, b) => a - b))} /> v{v}
                {v === pair.champion ? ' (champion)' : v === pair.challenger ? ' (challenger)' : ''}
              </label>
            ))}
          </div>
          <div class="grid2">
            {shown.map((v) => {
              const s = summary(points, v);
              return (
                <div class="card" data-testid="health-card" data-version={v}>
                  <b>Version {v}</b>
                  <div>
                    Requests: <span data-testid="health-requests" data-version={v}>{s.requests}</span>
                  </div>
                  <div>
                    Error rate: <span data-testid="health-error-rate" data-version={v}>{pct(s.errorRate)}</span>
                  </div>
                  <div>
                    Latest p99: <span data-testid="health-p99" data-version={v} data-value={s.p99 ?? ''} data-bucket={s.p99At ?? ''}>{ms(s.p99)}</span>
                  </div>
                </div>
              );
            })}
          </div>
          <h2>Requests per second</h2>
          <TimeChart testid="health-rps-chart" x={series.x} series={lines('rps')} yLabel="req/s" />
          <h2>Error rate</h2>
          <TimeChart testid="health-error-chart" x={series.x} series={lines('errorRate')} yLabel="errors / requests" />
          <h2>Latency p50 / p95 / p99</h2>
          <TimeChart testid="health-latency-chart" x={series.x} series={[...lines('p50', [2, 4]), ...lines('p95', [8, 4]), ...lines('p99')]} yLabel="ms" />
        </>
      )}
      {compare.data && (
        <>
          <h2>
            Champion v{compare.data.champion.version} vs challenger v{compare.data.challenger.version}
          </h2>
          <table class="plain" data-testid="compare-table">
            <thead>
              <tr>
                <th />
                <th>Requests</th>
                <th>Error rate</th>
                <th>p50</th>
                <th>p95</th>
                <th>p99</th>
                <th>Labeled</th>
                <th>Accuracy</th>
                <th>MAE</th>
                <th>Top predictions</th>
              </tr>
            </thead>
            <tbody>
              {[compare.data.champion, compare.data.challenger].map((r, i) => (
                <tr data-testid="compare-row" data-version={r.version} data-role={i === 0 ? 'champion' : 'challenger'}>
                  <td>
                    v{r.version} {i === 0 ? 'champion' : 'challenger'}
                  </td>
                  <td>{r.requests}</td>
                  <td>{pct(r.errorRate)}</td>
                  <td>{ms(r.latencyMs.p50)}</td>
                  <td>{ms(r.latencyMs.p95)}</td>
                  <td data-testid="compare-p99" data-version={r.version}>
                    {ms(r.latencyMs.p99)}
                  </td>
                  <td>{r.labeled}</td>
                  <td>{r.accuracy === null ? '—' : r.accuracy.toFixed(3)}</td>
                  <td>{r.mae === null ? '—' : r.mae.toFixed(3)}</td>
                  <td>{r.topPredictions.slice(0, 3).map((p) => `${p.value} (${p.count})`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {compare.error ? <ErrorBox error={compare.error} retry={compare.reload} /> : null}
    </section>
  );
}
