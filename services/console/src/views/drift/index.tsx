// Drift of a model: windows over time with their drifted share, the feature ×
// window heatmap of statistic and verdict, a cell's reference vs current
// distribution and test, detections and retrain requests with their evidence.
// Live: /v1/streams/drift and /v1/streams/retrain fold new events in.
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { ViewProps } from '../types.ts';
import type { Route } from '../../router.ts';
import { href } from '../../router.ts';
import { Link, navigate } from '../../nav.tsx';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import { useFetch } from '../../components/use-fetch.ts';
import { Heatmap } from '../../components/heatmap/heatmap.tsx';
import { Histogram } from '../../components/histogram/histogram.tsx';
import { TimeChart } from '../../components/line-chart/time-chart.tsx';
import type { DriftFeatureDetail, DriftHistory } from '../api-types.ts';
import { applyDriftEvent, driftMatrix, timelineMarks, versionsOf } from './matrix.ts';
import { when } from '../format.ts';
import { useLive } from '../../components/use-live.ts';
import type { StreamEvent } from '../../types.ts';
import { QualityTable } from './quality.tsx';

const YEAR = 365 * 24 * 3_600_000;
const fmt = (n: number | null | undefined, digits = 4) => (n === null || n === undefined ? '—' : Number.isInteger(n) ? String(n) : n.toPrecision(digits));

export function DriftView(props: ViewProps) {
  const route = props.route as Extract<Route, { view: 'drift' }>;
  const model = route.model;
  const q = props.query;
  // One load of the last year of measurements (all versions); live events extend it.
  const from = useMemo(() => Math.max(0, Date.now() - YEAR), [model]);
  const history = useFetch<DriftHistory>(`/v1/models/${encodeURIComponent(model)}/drift?from=${from}&limit=10000`);
  const enc = encodeURIComponent(model);
  // Events that arrive before the history has loaded wait here, then fold in (applyDriftEvent ignores ones already read).
  const pending = useRef<StreamEvent[]>([]);
  const onEvent = (e: StreamEvent) => {
    if (!history.data) pending.current.push(e);
    history.set((h) => (h ? applyDriftEvent(h, e) : h));
  };
  useEffect(() => {
    if (!history.data || !pending.current.length) return;
    const waiting = pending.current;
    pending.current = [];
    history.set((h) => (h ? waiting.reduce((acc, e) => applyDriftEvent(acc, e), h) : h));
  }, [history.data]);
  useLive(`/v1/streams/drift?model=${enc}`, onEvent);
  useLive(`/v1/streams/retrain?model=${enc}`, onEvent);

  const h = history.data;
  const versions = h ? versionsOf(h) : [];
  const asked = Number(q.get('version'));
  const version = q.get('version') && versions.includes(asked) ? asked : (h?.measurements[h.measurements.length - 1]?.version ?? versions[versions.length - 1]);
  const mine = useMemo(() => (h && version !== undefined ? h.measurements.filter((m) => m.version === version) : []), [h, version]);
  const matrix = useMemo(() => driftMatrix(mine), [mine]);
  const marks = useMemo(() => (h && version !== undefined ? timelineMarks({ measurements: mine, detections: h.detections.filter((d) => d.version === version), retrains: h.retrains.filter((r) => r.version === version) }, mine) : []), [h, mine, version]);
  const windowId = q.get('window') ?? undefined;
  const feature = q.get('feature') ?? undefined;
  const column = windowId ? matrix.windows.findIndex((w) => w.windowId === windowId) : -1;
  const row = feature ? matrix.features.indexOf(feature) : -1;
  const detail = useFetch<DriftFeatureDetail>(windowId && feature ? `/v1/models/${enc}/drift/feature?window=${encodeURIComponent(windowId)}&feature=${encodeURIComponent(feature)}` : undefined);
  const go = (changes: Record<string, string | number | undefined>) => navigate(href(route, { version, window: windowId, feature, ...changes }), { replace: true });

  if (history.error) return <section style={{ display: 'block' }} data-testid="view-drift"><h1>Drift · {model}</h1><ErrorBox error={history.error} retry={history.reload} /></section>;
  if (!h) return <section style={{ display: 'block' }} data-testid="view-drift"><h1>Drift · {model}</h1><Loading what="drift history" /></section>;
  const x = mine.map((m) => m.windowEnd / 1000);
  const share = mine.map((m) => m.driftedShare);
  const last = mine[mine.length - 1];
  return (
    <section style={{ display: 'block' }} data-testid="view-drift" data-model={model} data-version={version ?? ''}>
      <div class="crumbs">
        <Link href={href({ view: 'registry' })}>Registry</Link> / <Link href={href({ view: 'model', model })}>{model}</Link> / drift
      </div>
      <h1>Drift · {model}</h1>
      <div class="toolbar">
        <label>
          Version{' '}
          <select data-testid="drift-version" value={version ?? ''} onChange={(e) => go({ version: (e.currentTarget as HTMLSelectElement).value, window: undefined, feature: undefined })}>
            {versions.map((v) => (
              <option value={v}>{v}</option>
            ))}
          </select>
        </label>
        <span>
          Windows: <b data-testid="drift-window-count" data-version={version ?? ''}>{mine.length}</b>
        </span>
        {last && (
          <span>
            Latest drifted share: <b data-testid="drift-latest-share">{fmt(last.driftedShare, 3)}</b> ({last.datasetDrift ? 'dataset drift' : 'no dataset drift'})
          </span>
        )}
        <Link href={href({ view: 'health', model })}>Health</Link>
      </div>
      {!mine.length ? (
        <Empty>No drift windows for {model} yet. They appear here as the drift detector closes windows of predictions.</Empty>
      ) : (
        <>
          <h2>Drifted share per window</h2>
          <TimeChart
            testid="drift-share-chart"
            x={x}
            series={[
              { label: 'drifted share', stroke: '#2563eb', values: share },
              { label: 'drift detected', stroke: '#dc2626', pointsOnly: true, values: mine.map((_, i) => (marks.some((m) => m.kind === 'detection' && m.column === i) ? share[i]! : null)) },
              { label: 'retrain requested', stroke: '#9333ea', pointsOnly: true, values: mine.map((_, i) => (marks.some((m) => m.kind === 'retrain' && m.column === i) ? Math.min(1, share[i]! + 0.05) : null)) },
            ]}
            yLabel="share"
            height={180}
            onPick={(i) => go({ window: mine[i]?.windowId })}
          />
          <h2>Detections and retrain requests</h2>
          {marks.length ? (
            <ul data-testid="drift-marks" data-detections={marks.filter((m) => m.kind === 'detection').length} data-retrains={marks.filter((m) => m.kind === 'retrain').length} style={{ maxHeight: '180px', overflow: 'auto', border: '1px solid var(--line)', borderRadius: '6px', background: 'var(--panel)', padding: '6px 6px 6px 24px', margin: 0 }}>
              {marks.map((m) => (
                <li data-testid="drift-mark" data-kind={m.kind} data-column={m.column}>
                  <b>{m.kind === 'detection' ? 'Drift detected' : 'Retrain requested'}</b> at {when(m.at)} (window #{mine[m.column]?.windowIndex ?? '?'}): {m.label}
                  {m.evidence.length ? <span class="muted"> · evidence: {m.evidence.map((id) => mine.find((w) => w.eventId === id)?.windowIndex ?? id.slice(0, 8)).map((w) => `#${w}`).join(', ')}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No detections or retrain requests for version {version}.</Empty>
          )}
          <h2>Features × windows</h2>
          <p class="muted">Red: the feature drifted in that window; blue: it did not; darker = larger statistic for that feature. Click a cell for its distributions.</p>
          <Heatmap
            columns={matrix.windows.length}
            rows={matrix.features}
            values={matrix.statistic}
            flags={matrix.drifted}
            selected={column >= 0 && row >= 0 ? { column, row } : undefined}
            columnLabel={(c) => `#${matrix.windows[c]?.windowIndex ?? c}`}
            describe={({ column: c, row: r }) => {
              const w = matrix.windows[c]!;
              const i = r * matrix.windows.length + c;
              const flag = matrix.drifted[i];
              return `${matrix.features[r]} · window #${w.windowIndex} · ${matrix.tests[r]} ${flag === 255 ? 'not measured' : `${fmt(matrix.statistic[i])} · ${flag === 1 ? 'drifted' : 'not drifted'}`}`;
            }}
            onCell={({ column: c, row: r }) => go({ window: matrix.windows[c]?.windowId, feature: matrix.features[r] })}
          />
          {windowId && feature ? (
            <div class="card" data-testid="drift-cell-detail" data-window={windowId} data-feature={feature} style={{ marginTop: '12px' }}>
              <h2>
                {feature} in window {column >= 0 ? `#${matrix.windows[column]!.windowIndex}` : windowId}
              </h2>
              {detail.error ? (
                <ErrorBox error={detail.error} retry={detail.reload} />
              ) : !detail.data || detail.data.windowId !== windowId || detail.data.feature !== feature ? (
                <Loading what="distributions" />
              ) : (
                <>
                  <p>
                    Test <b data-testid="drift-cell-test">{detail.data.test}</b>: statistic <b data-testid="drift-cell-statistic">{fmt(detail.data.statistic)}</b>, p-value <b data-testid="drift-cell-pvalue">{fmt(detail.data.pValue)}</b>, threshold {fmt(detail.data.threshold)} →{' '}
                    <b data-testid="drift-cell-verdict" data-drifted={String(detail.data.drifted)} style={{ color: detail.data.drifted ? 'var(--bad)' : 'var(--good)' }}>
                      {detail.data.drifted ? 'drifted' : 'not drifted'}
                    </b>
                  </p>
                  <p class="muted">
                    {detail.data.count} predictions from {when(detail.data.windowStart)} to {when(detail.data.windowEnd)}; reference {detail.data.referenceId || 'none'}.
                  </p>
                  <Histogram distribution={detail.data.distribution} referenceId={detail.data.referenceId} />
                </>
              )}
            </div>
          ) : null}
          <h2>Data quality per window</h2>
          <QualityTable model={model} version={version} from={from} />
        </>
      )}
    </section>
  );
}
