// One registered model: its versions with stage and aliases, each version's
// stage history (who, when, why, gate result) and its lineage graph
// version → run → datasets. Live: registry events reload it.
import { useEffect, useRef } from 'preact/hooks';
import type { ViewProps } from '../types.ts';
import type { Route } from '../../router.ts';
import { href } from '../../router.ts';
import { Link, navigate } from '../../nav.tsx';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import { useFetch } from '../../components/use-fetch.ts';
import type { ModelVersionView } from '../api-types.ts';
import { StageBadge, type RegisteredModel } from '../registry/index.tsx';
import { when } from '../format.ts';
import { useLive } from '../../components/use-live.ts';

const short = (s: string | null | undefined, n = 12) => (s ? (s.length > n ? `${s.slice(0, n)}…` : s) : '—');

function Lineage(props: { v: ModelVersionView }) {
  const { v } = props;
  const run = v.lineage.run;
  const box = { border: '1px solid var(--line)', borderRadius: '6px', padding: '8px', background: 'var(--panel)', minWidth: '180px' };
  const arrow = <div style={{ alignSelf: 'center', fontSize: '20px', color: 'var(--muted)' }}>→</div>;
  return (
    <div data-testid="lineage" data-version={v.version} data-run={v.lineage.runId ?? ''} data-datasets={v.lineage.datasets.length} style={{ display: 'flex', gap: '10px', alignItems: 'stretch', flexWrap: 'wrap' }}>
      <div style={box} data-testid="lineage-version">
        <b>
          {v.model} v{v.version}
        </b>
        <div class="muted">{short(v.artifactUri, 40)}</div>
        <div class="muted">
          {v.source.topic}[{v.source.partition}]@{v.source.offset}
        </div>
      </div>
      {arrow}
      <div style={box} data-testid="lineage-run">
        {v.lineage.runId ? (
          <>
            <b>
              run <Link href={href({ view: 'run', runId: v.lineage.runId })}>{short(v.lineage.runId, 16)}</Link>
            </b>
            {run ? (
              <>
                <div>
                  {run.name || '(unnamed)'} · {run.experiment} · {run.status}
                </div>
                <div class="muted">code {short(run.codeVersion, 12)}</div>
                <div class="muted">
                  {Object.entries(run.metrics)
                    .slice(0, 4)
                    .map(([k, m]) => `${k}=${Number.isInteger(m) ? m : m.toPrecision(4)}`)
                    .join(' · ')}
                </div>
              </>
            ) : (
              <div class="muted">run not in the read model (lineage gap)</div>
            )}
          </>
        ) : (
          <span class="muted">no run recorded</span>
        )}
      </div>
      {arrow}
      <div style={{ display: 'flex', flexDirection: 'column', gap: '6px' }}>
        {v.lineage.datasets.length ? (
          v.lineage.datasets.map((d) => (
            <div style={box} data-testid="lineage-dataset" data-dataset={d.datasetId} data-dataset-version={d.version}>
              <b>
                {d.datasetId}@{d.version}
              </b>{' '}
              <span class="muted">({d.context})</span>
              <div class="muted">{d.contentSha256 ? `sha256 ${short(d.contentSha256, 16)}` : 'not ingested (lineage gap)'}</div>
              {d.rowCount !== null && <div class="muted">{d.rowCount} rows</div>}
            </div>
          ))
        ) : (
          <div style={box} class="muted">
            no datasets logged
          </div>
        )}
      </div>
    </div>
  );
}

export function ModelView(props: ViewProps) {
  const route = props.route as Extract<Route, { view: 'model' }>;
  const model = route.model;
  const enc = encodeURIComponent(model);
  const registered = useFetch<RegisteredModel>(`/v1/models/${enc}`);
  const history = useFetch<{ versions: ModelVersionView[] }>(`/v1/models/${enc}/versions`);
  const timers = useRef<number[]>([]);
  useEffect(() => () => timers.current.forEach((t) => clearTimeout(t)), []);
  // The in-memory view answers at once; the ClickHouse history follows the materializer, so it is read again shortly after.
  useLive(`/v1/streams/registry?model=${enc}`, () => {
    registered.reload();
    history.reload();
    timers.current.push(window.setTimeout(history.reload, 1500), window.setTimeout(history.reload, 5000));
  });
  const selected = Number(props.query.get('version')) || undefined;

  if (registered.error && history.error) return <section style={{ display: 'block' }} data-testid="view-model"><h1>{model}</h1><ErrorBox error={registered.error} retry={registered.reload} /></section>;
  if (!registered.data && !history.data) return <section style={{ display: 'block' }} data-testid="view-model"><h1>{model}</h1><Loading what="model versions" /></section>;
  const versions = registered.data?.versions ?? [];
  const details = history.data?.versions ?? [];
  const numbers = [...new Set([...versions.map((v) => v.version), ...details.map((v) => v.version)])].sort((a, b) => b - a);
  const focus = selected ?? numbers[0];
  const detail = details.find((d) => d.version === focus);
  return (
    <section style={{ display: 'block' }} data-testid="view-model" data-model={model}>
      <div class="crumbs">
        <Link href={href({ view: 'registry' })}>Registry</Link> / {model}
      </div>
      <h1>{model}</h1>
      <div class="toolbar">
        {registered.data?.description && <span>{registered.data.description}</span>}
        <Link href={href({ view: 'health', model })} testid="model-health-link">
          Health
        </Link>
        <Link href={href({ view: 'drift', model })} testid="model-drift-link">
          Drift
        </Link>
      </div>
      {registered.error ? <ErrorBox error={registered.error} retry={registered.reload} /> : null}
      {!numbers.length ? (
        <Empty>{model} has no versions yet.</Empty>
      ) : (
        <table class="plain" data-testid="versions-table">
          <thead>
            <tr>
              <th>Version</th>
              <th>Stage</th>
              <th>Aliases</th>
              <th>Run</th>
              <th>Registered</th>
              <th>By</th>
              <th>Last change</th>
            </tr>
          </thead>
          <tbody>
            {numbers.map((n) => {
              const v = versions.find((x) => x.version === n);
              const d = details.find((x) => x.version === n);
              const stage = v?.stage ?? d?.currentStage ?? 'DEVELOPMENT';
              const last = d?.stageHistory[d.stageHistory.length - 1];
              return (
                <tr data-testid="version-row" data-version={n} data-stage={stage} class={n === focus ? 'selected' : ''} style={{ cursor: 'pointer' }} onClick={() => navigate(href(route, { version: n }), { replace: true })}>
                  <td>v{n}</td>
                  <td>
                    <StageBadge stage={stage} />
                  </td>
                  <td data-testid="version-aliases">{(v?.aliases ?? d?.aliases ?? []).map((a) => `@${a}`).join(' ') || '—'}</td>
                  <td>{v?.runId || d?.lineage.runId ? <Link href={href({ view: 'run', runId: (v?.runId ?? d?.lineage.runId)! })}>{short(v?.runId ?? d?.lineage.runId, 12)}</Link> : '—'}</td>
                  <td>{v ? when(v.creationTime) : d ? when(d.registeredAt) : '—'}</td>
                  <td>{v?.userId ?? d?.registeredBy ?? '—'}</td>
                  <td>{last ? `${last.fromStage ?? '—'} → ${last.toStage} by ${last.actor}` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {focus !== undefined && (
        <>
          <h2>Version {focus}: stage history</h2>
          {history.error ? (
            <ErrorBox error={history.error} retry={history.reload} />
          ) : !history.data ? (
            <Loading what="stage history" />
          ) : !detail ? (
            <Empty>Version {focus} is not in the read model yet.</Empty>
          ) : !detail.stageHistory.length ? (
            <Empty>Version {focus} has never changed stage.</Empty>
          ) : (
            <table class="plain" data-testid="stage-history" data-version={focus}>
              <thead>
                <tr>
                  <th>When</th>
                  <th>From</th>
                  <th>To</th>
                  <th>Who</th>
                  <th>Why</th>
                  <th>Gate</th>
                  <th>Event</th>
                </tr>
              </thead>
              <tbody>
                {detail.stageHistory.map((s) => (
                  <tr data-testid="stage-change" data-to={s.toStage} data-actor={s.actor} data-gate={s.gate ? (s.gate.passed ? 'passed' : 'failed') : 'none'}>
                    <td>{when(s.at)}</td>
                    <td>{s.fromStage ?? '—'}</td>
                    <td>
                      <StageBadge stage={s.toStage} />
                    </td>
                    <td>{s.actor}</td>
                    <td>{s.reason || '—'}</td>
                    <td>{s.gate ? `${s.gate.metric} ${s.gate.candidate ?? '?'} vs ${s.gate.threshold ?? '?'}: ${s.gate.passed ? 'passed' : 'failed'}` : '—'}</td>
                    <td class="muted">
                      {s.source.topic}[{s.source.partition}]@{s.source.offset}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {detail && (
            <>
              <h2>Lineage</h2>
              <Lineage v={detail} />
            </>
          )}
        </>
      )}
    </section>
  );
}
