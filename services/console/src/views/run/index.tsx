// One run: attributes, params, latest metrics (with the history of one as a
// curve), tags, inputs (dataset version, hash, profile summary), artifacts and
// where its RunStarted sits in Kafka. Live: reloads on the run's events.
import { useRef, useState } from 'preact/hooks';
import type { ViewProps } from '../types.ts';
import { href, type Route } from '../../router.ts';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import { useFetch } from '../../components/use-fetch.ts';
import { useLive } from '../../components/use-live.ts';
import { LineChart } from '../../components/line-chart/line-chart.tsx';
import { Link, navigate } from '../../nav.tsx';
import { formatDuration, formatNumber, formatTime } from '../../format.ts';
import type { MetricPoint, Run, StreamEvent } from '../../types.ts';
import { profileSummary } from './profile.ts';

interface DatasetVersion {
  datasetId: string;
  version: string;
  uri: string;
  contentSha256: string;
  rowCount: number;
  producer: string;
  featureNames: string[];
  validationPassed: boolean;
  profile: unknown;
  source: { topic: string; partition: number; offset: number };
}

function KeyValues(props: { entries: Array<[string, string]>; testid: string; empty: string }) {
  if (!props.entries.length) return <p class="muted">{props.empty}</p>;
  return (
    <table class="plain" data-testid={props.testid}>
      <tbody>
        {props.entries.map(([k, v]) => (
          <tr key={k} data-key={k}>
            <th>{k}</th>
            <td class="mono" data-value={v}>
              {v}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Input(props: { input: Run['inputs'][number] }) {
  const { datasetId, version, context } = props.input;
  const ds = useFetch<DatasetVersion>(`/v1/datasets/${encodeURIComponent(datasetId)}/versions/${encodeURIComponent(version)}`);
  return (
    <tr data-testid="run-input" data-dataset-id={datasetId} data-version={version}>
      <td class="mono">{datasetId}</td>
      <td class="mono">{version}</td>
      <td>{context}</td>
      {ds.data ? (
        <>
          <td class="mono" data-testid="dataset-hash" title={ds.data.contentSha256}>
            {ds.data.contentSha256.slice(0, 16)}…
          </td>
          <td class="num">{ds.data.rowCount}</td>
          <td>{profileSummary(ds.data.profile)}</td>
        </>
      ) : (
        <td colSpan={3} class="muted">
          {ds.loading ? 'loading…' : ds.error ? (ds.error as { status?: number }).status === 404 ? 'not ingested (no DatasetVersionIngested for it)' : (ds.error as Error).message : ''}
        </td>
      )}
    </tr>
  );
}

interface Listing {
  files?: Array<{ path: string; is_dir: boolean; file_size?: number }>;
}

function Artifacts(props: { path: string; depth?: number }) {
  const list = useFetch<Listing>(`/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(props.path)}`);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data) return <Loading what="artifacts" />;
  const files = list.data.files ?? [];
  if (!files.length && !props.depth) return <p class="muted">No artifacts.</p>;
  return (
    <ul class="mono" data-testid={props.depth ? undefined : 'run-artifacts'}>
      {files.map((f) => {
        const name = f.path.split('/').at(-1) ?? f.path;
        const full = `${props.path}/${name}`;
        return (
          <li key={f.path} data-testid="artifact" data-path={full}>
            {f.is_dir ? (
              <button type="button" class="link" onClick={() => setOpen((s) => new Set(s.has(full) ? [...s].filter((x) => x !== full) : [...s, full]))}>
                {open.has(full) ? '▾' : '▸'} {name}/
              </button>
            ) : (
              <span>
                {name} <span class="muted">{f.file_size ?? ''} B</span>
              </span>
            )}
            {f.is_dir && open.has(full) && <Artifacts path={full} depth={(props.depth ?? 0) + 1} />}
          </li>
        );
      })}
    </ul>
  );
}

function MetricCurve(props: { runId: string; metric: string }) {
  const h = useFetch<{ metrics: MetricPoint[] }>(`/v1/runs/${encodeURIComponent(props.runId)}/metrics/${encodeURIComponent(props.metric)}`);
  if (h.error) return <ErrorBox error={h.error} retry={h.reload} />;
  if (!h.data) return <Loading what={`${props.metric} history`} />;
  return <LineChart title={props.metric} xLabel="step" series={[{ label: props.metric, points: h.data.metrics.map((p) => [p.step, p.value] as [number, number]) }]} testid="run-metric-chart" />;
}

export function RunView(props: ViewProps) {
  const { runId } = props.route as Extract<Route, { view: 'run' }>;
  const run = useFetch<Run>(`/v1/runs/${encodeURIComponent(runId)}`);
  const [version, setVersion] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLive(`/v1/streams/runs?runs=${encodeURIComponent(runId)}`, (event: StreamEvent<{ runId?: string }>) => {
    if (event.value.runId !== runId) return;
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      run.reload();
      setVersion((v) => v + 1);
    }, 300);
  });
  if (run.error) return <ErrorBox error={run.error} retry={run.reload} />;
  if (!run.data) return <Loading what="run" />;
  const r = run.data;
  const metric = props.query.get('metric') ?? Object.keys(r.latestMetrics).sort()[0];
  const artifactRoot = r.artifactUri.replace(/^mlflow-artifacts:\/+/, '');
  return (
    <section data-testid="view-run" data-run-id={r.runId}>
      <div class="crumbs">
        <Link href={href({ view: 'experiments' })}>Experiments</Link> / <Link href={href({ view: 'runs', experimentId: r.experimentId })}>experiment {r.experimentId}</Link> / run
      </div>
      <h1 data-testid="run-name">{r.runName || r.runId}</h1>
      <div class="grid2">
        <div class="card">
          <KeyValues
            testid="run-attributes"
            empty=""
            entries={[
              ['run id', r.runId],
              ['status', r.status],
              ['lifecycle', r.lifecycleStage],
              ['started (UTC)', formatTime(r.startTime)],
              ['ended (UTC)', formatTime(r.endTime)],
              ['duration', formatDuration(r.startTime, r.endTime)],
              ['user', r.userId],
              ['code version', r.codeVersion ?? ''],
              ['artifact URI', r.artifactUri],
              ['logged models', r.loggedModelIds.join(', ')],
            ]}
          />
        </div>
        <div class="card" data-testid="run-kafka">
          <h2>Kafka coordinates</h2>
          <KeyValues
            testid="run-coordinates"
            empty=""
            entries={[
              ['topic', r.startedAt.topic],
              ['partition', String(r.startedAt.partition)],
              ['offset of RunStarted', String(r.startedAt.offset)],
              ['aggregate version', String(r.version)],
            ]}
          />
          <p class="muted">The run's events are keyed by its id: all of them are on this partition, from this offset on.</p>
        </div>
      </div>
      <h2>Metrics (latest)</h2>
      {Object.keys(r.latestMetrics).length === 0 ? (
        <Empty>No metrics logged yet.</Empty>
      ) : (
        <div class="grid2">
          <table class="plain" data-testid="run-metrics">
            <thead>
              <tr>
                <th>Key</th>
                <th>Value</th>
                <th>Step</th>
                <th>Time (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {Object.values(r.latestMetrics)
                .sort((a, b) => (a.key < b.key ? -1 : 1))
                .map((m) => (
                  <tr key={m.key} data-key={m.key} class={m.key === metric ? 'selected' : ''}>
                    <th>
                      <a
                        href={href({ view: 'run', runId }, { metric: m.key })}
                        onClick={(e) => {
                          e.preventDefault();
                          navigate(href({ view: 'run', runId }, { metric: m.key }), { replace: true });
                        }}
                      >
                        {m.key}
                      </a>
                    </th>
                    <td class="num" data-value={String(m.value)}>
                      {formatNumber(m.value)}
                    </td>
                    <td class="num">{m.step}</td>
                    <td>{formatTime(m.timestamp)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          {metric && <MetricCurve key={`${metric}:${version}`} runId={runId} metric={metric} />}
        </div>
      )}
      <div class="grid2">
        <div>
          <h2>Params</h2>
          <KeyValues testid="run-params" empty="No params." entries={Object.entries(r.params).sort(([a], [b]) => (a < b ? -1 : 1))} />
        </div>
        <div>
          <h2>Tags</h2>
          <KeyValues testid="run-tags" empty="No tags." entries={Object.entries(r.tags).sort(([a], [b]) => (a < b ? -1 : 1))} />
        </div>
      </div>
      <h2>Inputs</h2>
      {r.inputs.length === 0 ? (
        <p class="muted">No dataset inputs logged.</p>
      ) : (
        <table class="plain" data-testid="run-inputs">
          <thead>
            <tr>
              <th>Dataset</th>
              <th>Version</th>
              <th>Context</th>
              <th>SHA-256</th>
              <th>Rows</th>
              <th>Profile</th>
            </tr>
          </thead>
          <tbody>
            {r.inputs.map((input) => (
              <Input key={`${input.datasetId}@${input.version}:${input.context}`} input={input} />
            ))}
          </tbody>
        </table>
      )}
      <h2>Artifacts</h2>
      <Artifacts key={version} path={artifactRoot} />
    </section>
  );
}
