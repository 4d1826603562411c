// How values are written in the console (tests read them back from the DOM:
// docs/console.md) and how table columns sort. Pure.

/** A metric value: integers as is, others with at most 6 significant digits. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/** Epoch ms as `YYYY-MM-DD HH:MM:SS` UTC (empty for null). */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Duration between two epoch ms as `1h 2m`, `3m 4s`, `5.1s`. */
export function formatDuration(from: number, to: number | null | undefined): string {
  if (to === null || to === undefined) return '';
  const s = Math.max(0, (to - from) / 1000);
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${Math.round((s % 3600) / 60)}m`;
}

const asNumber = (v: string | number): number | undefined => {
  if (typeof v === 'number') return v;
  if (v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Orders two cell values: missing last, numbers numerically (also numeric strings), then text. */
export function compareValues(a: string | number | null | undefined, b: string | number | null | undefined): number {
  const am = a === null || a === undefined || a === '';
  const bm = b === null || b === undefined || b === '';
  if (am || bm) return am && bm ? 0 : am ? 1 : -1;
  const an = asNumber(a);
  const bn = asNumber(b);
  if (an !== undefined && bn !== undefined) return an - bn;
  if (an !== undefined) return -1;
  if (bn !== undefined) return 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A stable sort by one key; descending keeps missing values last. */
export function sortBy<T>(rows: readonly T[], key: (row: T) => string | number | null | undefined, desc: boolean): T[] {
  return rows
    .map((row, i) => ({ row, i, v: key(row) }))
    .sort((x, y) => {
      const missing = (v: unknown) => v === null || v === undefined || v === '';
      if (missing(x.v) || missing(y.v)) return compareValues(x.v, y.v) || x.i - y.i;
      return (desc ? -compareValues(x.v, y.v) : compareValues(x.v, y.v)) || x.i - y.i;
    })
    .map((x) => x.row);
}
