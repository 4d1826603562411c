// The runs table's columns: which param/metric keys exist, which are shown,
// and the value a column sorts by. Pure.
import type { Run } from '../../types.ts';

export const FIXED_COLUMNS = ['attributes.run_name', 'attributes.status', 'attributes.start_time', 'attributes.duration'] as const;
const DEFAULT_METRICS = 6;
const DEFAULT_PARAMS = 4;

/** Every metric and param key among the runs, sorted. */
export function keysOf(runs: readonly Run[]): { metrics: string[]; params: string[] } {
  const metrics = new Set<string>();
  const params = new Set<string>();
  for (const r of runs) {
    for (const k in r.latestMetrics) metrics.add(k);
    for (const k in r.params) params.add(k);
  }
  return { metrics: [...metrics].sort(), params: [...params].sort() };
}

/** The data columns shown: those in the URL (`cols`), else the first few metrics and params. */
export function shownColumns(keys: { metrics: string[]; params: string[] }, chosen: readonly string[]): string[] {
  if (chosen.length) return [...chosen];
  return [...keys.metrics.slice(0, DEFAULT_METRICS).map((k) => `metrics.${k}`), ...keys.params.slice(0, DEFAULT_PARAMS).map((k) => `params.${k}`)];
}

/** The value a column shows and sorts by. */
export function valueOf(run: Run, column: string): string | number | undefined {
  if (column.startsWith('metrics.')) return run.latestMetrics[column.slice(8)]?.value;
  if (column.startsWith('params.')) return run.params[column.slice(7)];
  if (column.startsWith('tags.')) return run.tags[column.slice(5)];
  switch (column) {
    case 'attributes.run_name':
      return run.runName;
    case 'attributes.status':
      return run.status;
    case 'attributes.start_time':
      return run.startTime;
    case 'attributes.duration':
      return run.endTime === null ? undefined : run.endTime - run.startTime;
    default:
      return undefined;
  }
}

/** Inserts or replaces a run (by id) in a list, keeping the others' order; new runs go first (newest). */
export function upsertRun(rows: readonly Run[], run: Run): Run[] {
  const i = rows.findIndex((r) => r.runId === run.runId);
  if (i < 0) return [run, ...rows];
  const next = rows.slice();
  next[i] = run;
  return next;
}
