// The params/metrics diff of compared runs. Pure.
import type { Run } from '../../types.ts';

export interface DiffRow {
  kind: 'param' | 'metric';
  key: string;
  values: Array<string | number | undefined>;
  differs: boolean;
}

export function diffRuns(runs: readonly Run[]): DiffRow[] {
  const rows: DiffRow[] = [];
  const keys = (pick: (r: Run) => Record<string, unknown>) => [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
  for (const key of keys((r) => r.params)) {
    const values = runs.map((r) => r.params[key]);
    rows.push({ kind: 'param', key, values, differs: new Set(values).size > 1 });
  }
  for (const key of keys((r) => r.latestMetrics)) {
    const values = runs.map((r) => r.latestMetrics[key]?.value);
    rows.push({ kind: 'metric', key, values, differs: new Set(values).size > 1 });
  }
  return rows;
}
