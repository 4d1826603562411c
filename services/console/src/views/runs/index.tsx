// The runs of one experiment: MLflow filter box (server-side, /v1/experiments/:id/runs),
// sortable param/metric columns, column chooser, 10 000+ rows virtualized,
// selection for compare, live updates from /v1/streams/runs.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ViewProps } from '../types.ts';
import type { Route } from '../../router.ts';
import { href, listParam } from '../../router.ts';
import { api } from '../../client.ts';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import { useFetch } from '../../components/use-fetch.ts';
import { useLive } from '../../components/use-live.ts';
import { VirtualTable, type Column } from '../../components/virtual-table/virtual-table.tsx';
import { Link, navigate } from '../../nav.tsx';
import { formatDuration, formatNumber, formatTime, sortBy } from '../../format.ts';
import type { Experiment, Run, StreamEvent } from '../../types.ts';
import { keysOf, shownColumns, upsertRun, valueOf } from './columns.ts';

/** A small first page paints the table fast; the rest comes in large pages. */
const FIRST_PAGE = 1000;
const PAGE = 5000;

interface Loaded {
  runs: Run[];
  done: boolean;
  error?: unknown;
  /** ms from the request to the first page rendered. */
  firstPageMs?: number;
}

/** Loads every run matching the filter, page after page, showing each page as it comes. */
function useRuns(experimentId: string, filter: string) {
  const [state, setState] = useState<Loaded>({ runs: [], done: false });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    const started = performance.now();
    setState({ runs: [], done: false });
    void (async () => {
      let token: string | undefined;
      const all: Run[] = [];
      try {
        do {
          const qs = new URLSearchParams({ maxResults: String(token ? PAGE : FIRST_PAGE) });
          if (filter) qs.set('filter', filter);
          if (token) qs.set('pageToken', token);
          const page = await api.get<{ runs: Run[]; nextPageToken?: string }>(`/v1/experiments/${encodeURIComponent(experimentId)}/runs?${qs}`, controller.signal);
          all.push(...page.runs);
          token = page.nextPageToken;
          const runs = all.slice();
          setState((s) => ({ runs, done: !token, firstPageMs: s.firstPageMs ?? Math.round(performance.now() - started) }));
        } while (token && !controller.signal.aborted);
      } catch (error) {
        if (!controller.signal.aborted) setState((s) => ({ ...s, done: true, error }));
      }
    })();
    return () => controller.abort();
  }, [experimentId, filter, tick]);
  return { ...state, reload: () => setTick((t) => t + 1), setRuns: (update: (runs: Run[]) => Run[]) => setState((s) => ({ ...s, runs: update(s.runs) })) };
}

function ColumnChooser(props: { keys: { metrics: string[]; params: string[] }; shown: string[]; onChange: (cols: string[]) => void }) {
  const [open, setOpen] = useState(false);
  const toggle = (col: string) => props.onChange(props.shown.includes(col) ? props.shown.filter((c) => c !== col) : [...props.shown, col]);
  const group = (title: string, prefix: string, keys: string[]) =>
    keys.length > 0 && (
      <div>
        <strong>{title}</strong>
        {keys.map((k) => {
          const col = `${prefix}${k}`;
          return (
            <label key={col}>
              <input type="checkbox" data-testid="column-option" data-column={col} checked={props.shown.includes(col)} onChange={() => toggle(col)} /> {k}
            </label>
          );
        })}
      </div>
    );
  return (
    <span style={{ position: 'relative' }}>
      <button type="button" data-testid="column-chooser" onClick={() => setOpen(!open)} aria-expanded={open}>
        Columns ({props.shown.length})
      </button>
      {open && (
        <div class="chooser" data-testid="column-chooser-panel">
          {group('Metrics', 'metrics.', props.keys.metrics)}
          {group('Params', 'params.', props.keys.params)}
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      )}
    </span>
  );
}

export function RunsView(props: ViewProps) {
  const { experimentId } = props.route as Extract<Route, { view: 'runs' }>;
  const { query } = props;
  const filter = query.get('filter') ?? '';
  const sort = query.get('sort') ?? 'attributes.start_time';
  const desc = query.get('desc') !== '0';
  const chosen = listParam(query, 'cols');
  const experiment = useFetch<Experiment>(`/v1/experiments/${encodeURIComponent(experimentId)}`);
  const runs = useRuns(experimentId, filter);
  const [typed, setTyped] = useState(filter);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setTyped(filter), [filter]);

  const state = (patch: Record<string, string | undefined>, replace = true) => {
    const next = { filter, sort, desc: desc ? undefined : '0', cols: chosen.join(','), ...patch };
    navigate(href({ view: 'runs', experimentId }, next), { replace });
  };
  // Typing settles for 400 ms, or Enter, before the filter goes to the URL (and the gateway).
  useEffect(() => {
    if (typed === filter) return;
    const t = setTimeout(() => state({ filter: typed }), 400);
    return () => clearTimeout(t);
  }, [typed]);

  // Live: run events are batched (250 ms); the runs they name are read again in one search with the
  // box's filter and `attributes.run_id IN (...)`, after those events (X-Mlstream-Consistency), so new
  // runs that match appear and changed ones update in place.
  const pending = useRef(new Map<string, Map<string, StreamEvent>>());
  const flush = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLive(`/v1/streams/runs?experiment=${encodeURIComponent(experimentId)}`, (event: StreamEvent<{ runId?: string }>) => {
    const runId = event.value.runId;
    if (!runId || runId.includes("'")) return;
    const byPartition = pending.current.get(runId) ?? new Map<string, StreamEvent>();
    byPartition.set(`${event.topic}:${event.partition}`, event);
    pending.current.set(runId, byPartition);
    flush.current ??= setTimeout(() => {
      flush.current = undefined;
      const ids = [...pending.current.keys()];
      const latest = new Map<string, StreamEvent>();
      for (const events of pending.current.values()) for (const [k, e] of events) if (!latest.has(k) || BigInt(latest.get(k)!.offset) < BigInt(e.offset)) latest.set(k, e);
      pending.current.clear();
      const headers = { 'x-mlstream-consistency': [...latest.values()].map((e) => `${e.topic}:${e.partition}:${e.offset}`).join(',') };
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const inList = `attributes.run_id IN (${chunk.map((id) => `'${id}'`).join(', ')})`;
        const qs = new URLSearchParams({ maxResults: String(chunk.length), filter: filter ? `${filter} and ${inList}` : inList });
        void api.get<{ runs: Run[] }>(`/v1/experiments/${encodeURIComponent(experimentId)}/runs?${qs}`, undefined, headers).then(
          (page) => runs.setRuns((rows) => page.runs.reduce(upsertRun, rows)),
          () => {},
        );
      }
    }, 250);
  });

  const keys = useMemo(() => keysOf(runs.runs), [runs.runs]);
  const shown = shownColumns(keys, chosen);
  const sorted = useMemo(() => sortBy(runs.runs, (r) => valueOf(r, sort), desc), [runs.runs, sort, desc]);

  const toggle = (runId: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(runId)) next.delete(runId);
      else next.add(runId);
      return next;
    });
  const cell = (col: string) => (r: Run) => {
    const v = valueOf(r, col);
    return <span data-value={v === undefined ? '' : String(v)}>{typeof v === 'number' ? formatNumber(v) : (v ?? '')}</span>;
  };
  const columns: Array<Column<Run>> = [
    { id: 'select', label: '', width: '32px', cell: (r) => <input type="checkbox" data-testid="run-select" checked={selected.has(r.runId)} onChange={() => toggle(r.runId)} aria-label={`select ${r.runName}`} /> },
    { id: 'attributes.run_name', label: 'Run', width: 'minmax(160px, 2fr)', sortable: true, title: (r) => r.runId, cell: (r) => <Link href={href({ view: 'run', runId: r.runId })}>{r.runName || r.runId}</Link> },
    { id: 'attributes.status', label: 'Status', width: '90px', sortable: true, cell: (r) => <span class={`status-${r.status}`}>{r.status}</span> },
    { id: 'attributes.start_time', label: 'Started (UTC)', width: '160px', sortable: true, cell: (r) => formatTime(r.startTime) },
    { id: 'attributes.duration', label: 'Duration', width: '80px', sortable: true, cell: (r) => formatDuration(r.startTime, r.endTime) },
    ...shown.map((col) => ({ id: col, label: col.replace(/^metrics\./, '').replace(/^params\./, '⚙ '), width: 'minmax(90px, 1fr)', sortable: true, cell: cell(col), title: (r: Run) => `${col} = ${valueOf(r, col) ?? '—'}` })),
  ];

  const name = experiment.data?.name ?? experimentId;
  return (
    <section data-testid="view-runs" data-experiment-id={experimentId}>
      <div class="crumbs">
        <Link href={href({ view: 'experiments' })}>Experiments</Link> / {name}
      </div>
      <h1>{name}</h1>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          state({ filter: typed });
        }}
      >
        <input
          class="grow mono"
          data-testid="runs-filter"
          id="runs-filter"
          placeholder="metrics.accuracy > 0.9 and params.lr = '0.01' and tags.team = 'ds'"
          value={typed}
          onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
          aria-label="MLflow filter"
        />
        <button type="submit">Filter</button>
        <ColumnChooser keys={keys} shown={shown} onChange={(cols) => state({ cols: cols.join(',') })} />
        <button type="button" data-testid="compare-button" disabled={selected.size < 2} onClick={() => navigate(href({ view: 'compare' }, { runs: [...selected].join(',') }))}>
          Compare {selected.size || ''}
        </button>
        <span class="muted" data-testid="runs-count" data-count={runs.runs.length} data-done={String(runs.done)}>
          {runs.runs.length} runs{runs.done ? '' : ' (loading…)'}
        </span>
      </form>
      {runs.error ? <ErrorBox error={runs.error} retry={runs.reload} /> : null}
      {!runs.done && runs.runs.length === 0 && !runs.error ? <Loading what="runs" /> : null}
      {runs.done && !runs.error && runs.runs.length === 0 ? <Empty>{filter ? 'No run matches this filter.' : 'This experiment has no runs yet; new ones appear here as they start.'}</Empty> : null}
      {runs.runs.length > 0 && (
        <VirtualTable
          testid="runs-table"
          rows={sorted}
          columns={columns}
          rowKey={(r) => r.runId}
          sort={{ column: sort, desc }}
          onSort={(col) => state({ sort: col, desc: col === sort ? (desc ? '0' : undefined) : undefined })}
          rowProps={(r) => ({ 'data-testid': 'run-row', 'data-run-id': r.runId, class: `vtable-row${selected.has(r.runId) ? ' selected' : ''}` })}
        />
      )}
    </section>
  );
}
