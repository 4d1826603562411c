// Pure model-health logic: time ranges, bucket widths, and health points laid
// out as aligned series per version (uPlot's columnar data) for the
// champion vs challenger overlay.
import type { HealthPoint } from '../api-types.ts';

export const RANGES = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000 } as const;
export type RangeName = keyof typeof RANGES;

/** [from, to) from the URL (`from`/`to` epoch ms, or `range`), default the last 24 h. */
export function resolveRange(query: URLSearchParams, now: number): { from: number; to: number; range: RangeName | 'custom' } {
  const from = Number(query.get('from'));
  const to = Number(query.get('to'));
  if (query.get('from') && Number.isFinite(from) && from >= 0) {
    const end = query.get('to') && Number.isFinite(to) && to > from ? to : now;
    return { from, to: end, range: 'custom' };
  }
  const name = (query.get('range') ?? '24h') as RangeName;
  const span = RANGES[name] ?? RANGES['24h'];
  return { from: now - span, to: now, range: RANGES[name] ? name : '24h' };
}

/** A bucket width (a multiple of 60 s) giving at most `maxPoints` buckets over the range. */
export function bucketSecondsFor(from: number, to: number, maxPoints = 240): number {
  const seconds = Math.max(60, (to - from) / 1000 / maxPoints);
  return Math.ceil(seconds / 60) * 60;
}

export type Metric = 'rps' | 'errorRate' | 'p50' | 'p95' | 'p99';

/** x (bucket starts, epoch seconds) and, per version and metric, a value or null (no traffic in that bucket). */
export interface HealthSeries {
  x: number[];
  versions: number[];
  values: Record<number, Record<Metric, Array<number | null>>>;
}

/** Every bucket of [from, to) (so gaps show as gaps), each version's points on them. */
export function healthSeries(points: readonly HealthPoint[], from: number, to: number, bucketSeconds: number, versions?: readonly number[]): HealthSeries {
  const step = bucketSeconds * 1000;
  const first = Math.floor(from / step) * step;
  const x: number[] = [];
  for (let t = first; t < to; t += step) x.push(t / 1000);
  const vs = versions ? [...versions] : [...new Set(points.map((p) => p.version))].sort((a, b) => a - b);
  const values: HealthSeries['values'] = {};
  for (const v of vs) values[v] = { rps: x.map(() => null), errorRate: x.map(() => null), p50: x.map(() => null), p95: x.map(() => null), p99: x.map(() => null) };
  for (const p of points) {
    const row = values[p.version];
    const i = Math.round((p.bucketStart - first) / step);
    if (!row || i < 0 || i >= x.length) continue;
    row.rps[i] = p.requests / bucketSeconds;
    row.errorRate[i] = p.errorRate;
    row.p50[i] = p.latencyMs.p50;
    row.p95[i] = p.latencyMs.p95;
    row.p99[i] = p.latencyMs.p99;
  }
  return { x, versions: vs, values };
}

/** Totals of a version over the range and the p99 of its latest bucket with traffic (what the cards show, equal to the API's last point). */
export function summary(points: readonly HealthPoint[], version: number): { requests: number; errorRate: number | null; p99: number | null; p99At: number | null } {
  const mine = points.filter((p) => p.version === version);
  const requests = mine.reduce((s, p) => s + p.requests, 0);
  const errors = mine.reduce((s, p) => s + p.errors, 0);
  const last = mine.reduce<HealthPoint | undefined>((a, p) => (!a || p.bucketStart > a.bucketStart ? p : a), undefined);
  return { requests, errorRate: requests ? errors / requests : null, p99: last ? last.latencyMs.p99 : null, p99At: last ? last.bucketStart : null };
}

export interface RegisteredModel {
  name: string;
  aliases: Record<string, number>;
  versions: Array<{ version: number; stage: string; aliases: string[] }>;
}

/** Champion: @champion, else the Production version; challenger: @challenger, else the Staging version. */
export function championAndChallenger(m: RegisteredModel | undefined): { champion?: number; challenger?: number } {
  if (!m) return {};
  const byStage = (stage: string) => m.versions.filter((v) => v.stage === stage).map((v) => v.version).pop();
  const champion = m.aliases.champion ?? byStage('PRODUCTION');
  const challenger = m.aliases.challenger ?? byStage('STAGING');
  return { champion, challenger: challenger === champion ? undefined : challenger };
}
