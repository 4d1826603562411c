import { MlstreamError } from '@mlstream/kit';
import { boundedInt, lit, sql, type Sql } from '../sql/index.ts';
import { checkText, dbOf, num, numOrNull, select, type AnalyticsDeps } from './common.ts';

export interface DriftFeatureInput {
  model: string;
  windowId: string;
  feature: string;
}

/** Reference (training profile, else the reference window's predictions) vs current (the window's predictions) of one feature, on the same bins or categories. */
export type FeatureDistribution =
  | { kind: 'numeric'; edges: number[]; reference: number[] | null; current: number[] }
  | { kind: 'categorical'; categories: string[]; reference: number[] | null; current: number[] };

export interface DriftFeatureDetail {
  model: string;
  version: number;
  windowId: string;
  windowIndex: number;
  windowStart: number;
  windowEnd: number;
  count: number;
  referenceId: string;
  feature: string;
  kind: string;
  test: string;
  statistic: number;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  eventId: string;
  distribution: FeatureDistribution;
}

/** `dataset:<id>@<version>` → its parts; undefined for any other reference id. */
export function parseReferenceId(id: string): { datasetId: string; version: string } | undefined {
  const m = /^dataset:(.+)@([^@]+)$/.exec(id);
  return m ? { datasetId: m[1]!, version: m[2]! } : undefined;
}

/** `bins` equal-width edges over [min, max] (one bin of width 1 when min = max). */
export function equalWidthEdges(min: number, max: number, bins = 20): number[] {
  if (!(max > min)) return [min - 0.5, min + 0.5];
  const n = boundedInt(bins, 'bins', 1, 1000);
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? max : min + ((max - min) * i) / n));
}

/** Counts per bin index (0-based, from the SQL below) laid out over `bins` bins. */
export function countsByBin(rows: ReadonlyArray<{ bin: number; n: number }>, bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  for (const r of rows) if (r.bin >= 0 && r.bin < bins) out[r.bin] = (out[r.bin] ?? 0) + r.n;
  return out;
}

/** Pure: the queries behind driftFeatureDetail. */
export function driftFeatureSql(db: Sql, input: DriftFeatureInput) {
  const model = checkText(input.model, 'model');
  const windowId = checkText(input.windowId, 'windowId');
  const feature = checkText(input.feature, 'feature');
  // Predictions of the window: its version, in its event-time span [start, end] (the detector's window bounds, both inclusive).
  const scope = (version: number, start: number, end: number) =>
    sql`model = ${model} AND version = ${boundedInt(version, 'version', 0, 4_294_967_295)} AND occurred_ms >= ${boundedInt(start, 'start', 0, Number.MAX_SAFE_INTEGER)} AND occurred_ms <= ${boundedInt(end, 'end', 0, Number.MAX_SAFE_INTEGER)}`;
  const numericValue = sql`numeric_values[indexOf(numeric_keys, ${feature})]`;
  return {
    measurement: sql`SELECT version, window_index, window_start_ms, window_end_ms, window_count, reference_id, feature_names, feature_kinds, feature_tests, feature_statistics, feature_p_values, feature_thresholds, feature_drifted, event_id FROM ${db}.drift_measurements WHERE model = ${model} AND window_id = ${windowId} ORDER BY _offset DESC LIMIT 1`,
    window: (id: string) => sql`SELECT version, window_start_ms, window_end_ms FROM ${db}.drift_measurements WHERE model = ${model} AND window_id = ${checkText(id, 'referenceId')} ORDER BY _offset DESC LIMIT 1`,
    reference: (datasetId: string, version: string) => sql`SELECT profile_json FROM ${db}.datasets WHERE dataset_id = ${datasetId} AND version = ${version} ORDER BY _offset DESC LIMIT 1`,
    range: (version: number, start: number, end: number) => sql`SELECT min(${numericValue}) AS lo, max(${numericValue}) AS hi, count() AS n FROM ${db}.predictions WHERE ${scope(version, start, end)} AND has(numeric_keys, ${feature})`,
    // Bin i is [e_i, e_i+1), the last one closed; values outside the edges are clamped into the end bins (as the detector does).
    numeric: (version: number, start: number, end: number, edges: number[]) =>
      sql`SELECT toInt32(least(greatest(arrayCount(e -> e <= v, ${lit(edges)}), 1), ${edges.length - 1}) - 1) AS bin, count() AS n FROM (SELECT ${numericValue} AS v FROM ${db}.predictions WHERE ${scope(version, start, end)} AND has(numeric_keys, ${feature})) GROUP BY bin ORDER BY bin`,
    categorical: (version: number, start: number, end: number) =>
      sql`SELECT categorical_values[indexOf(categorical_keys, ${feature})] AS c, count() AS n FROM ${db}.predictions WHERE ${scope(version, start, end)} AND has(categorical_keys, ${feature}) GROUP BY c ORDER BY n DESC, c LIMIT 1000`,
  };
}

interface ProfileEntry {
  name: string;
  numeric?: { binEdges: number[]; binCounts: number[] } | null;
  categorical?: { counts: Record<string, number>; otherCount: number } | null;
}

/** One feature of one drift window: the statistic, test and verdict, and reference vs current distribution. */
export async function driftFeatureDetail(deps: AnalyticsDeps, input: DriftFeatureInput): Promise<DriftFeatureDetail> {
  const q = driftFeatureSql(dbOf(deps), input);
  type M = { version: number; window_index: string; window_start_ms: string; window_end_ms: string; window_count: string; reference_id: string; feature_names: string[]; feature_kinds: string[]; feature_tests: string[]; feature_statistics: number[]; feature_p_values: Array<number | null>; feature_thresholds: number[]; feature_drifted: number[]; event_id: string };
  const [m] = await select<M>(deps, q.measurement);
  if (!m) throw new MlstreamError('NOT_FOUND', `no drift measurement for window ${input.windowId} of model ${input.model}`, { details: { windowId: input.windowId } });
  const i = m.feature_names.indexOf(input.feature);
  if (i < 0) throw new MlstreamError('NOT_FOUND', `window ${input.windowId} measured no feature ${input.feature}`, { details: { feature: input.feature, features: m.feature_names.slice(0, 100) } });
  const version = num(m.version);
  const start = num(m.window_start_ms);
  const end = num(m.window_end_ms);
  const ref = parseReferenceId(m.reference_id);
  const profile = ref ? (await select<{ profile_json: string }>(deps, q.reference(ref.datasetId, ref.version)))[0] : undefined;
  let entry: ProfileEntry | undefined;
  try {
    entry = profile ? (JSON.parse(profile.profile_json) as ProfileEntry[]).find((f) => f.name === input.feature) : undefined;
  } catch {
    entry = undefined;
  }
  const kind = m.feature_kinds[i] ?? '';
  // Without a training profile the detector's reference is an earlier window (its id in reference_id): its predictions are the reference.
  const refWindow = !ref && m.reference_id && m.reference_id !== input.windowId ? (await select<{ version: number; window_start_ms: string; window_end_ms: string }>(deps, q.window(m.reference_id)))[0] : undefined;
  const spans = [{ version, start, end }, ...(refWindow ? [{ version: num(refWindow.version), start: num(refWindow.window_start_ms), end: num(refWindow.window_end_ms) }] : [])];
  let distribution: FeatureDistribution;
  const numeric = entry?.numeric && entry.numeric.binEdges.length >= 2 ? entry.numeric : undefined;
  if (numeric || (!entry?.categorical && kind.toLowerCase() !== 'categorical')) {
    let edges = numeric?.binEdges;
    if (!edges) {
      const ranges = await Promise.all(spans.map((w) => select<{ lo: number | null; hi: number | null; n: string }>(deps, q.range(w.version, w.start, w.end))));
      const seen = ranges.map((r) => r[0]).filter((r): r is { lo: number; hi: number; n: string } => !!r && num(r.n) > 0 && r.lo !== null && r.hi !== null);
      edges = seen.length ? equalWidthEdges(Math.min(...seen.map((r) => num(r.lo))), Math.max(...seen.map((r) => num(r.hi)))) : [0, 1];
    }
    const e = edges;
    const counts = await Promise.all(spans.map(async (w) => countsByBin((await select<{ bin: number; n: string }>(deps, q.numeric(w.version, w.start, w.end, e))).map((r) => ({ bin: num(r.bin), n: num(r.n) })), e.length - 1)));
    distribution = { kind: 'numeric', edges: e, reference: numeric?.binCounts ?? counts[1] ?? null, current: counts[0]! };
  } else {
    const [rows, refRows] = await Promise.all(spans.map((w) => select<{ c: string; n: string }>(deps, q.categorical(w.version, w.start, w.end))));
    const refCounts = entry?.categorical?.counts ?? (refRows ? Object.fromEntries(refRows.map((r) => [r.c, num(r.n)])) : undefined);
    const categories = [...new Set([...Object.keys(refCounts ?? {}), ...rows!.map((r) => r.c)])].sort();
    const current = new Map(rows!.map((r) => [r.c, num(r.n)]));
    distribution = { kind: 'categorical', categories, reference: refCounts ? categories.map((c) => refCounts[c] ?? 0) : null, current: categories.map((c) => current.get(c) ?? 0) };
  }
  return {
    model: input.model,
    version,
    windowId: input.windowId,
    windowIndex: num(m.window_index),
    windowStart: start,
    windowEnd: end,
    count: num(m.window_count),
    referenceId: m.reference_id,
    feature: input.feature,
    kind,
    test: m.feature_tests[i] ?? '',
    statistic: m.feature_statistics[i] ?? 0,
    pValue: numOrNull(m.feature_p_values[i]),
    threshold: m.feature_thresholds[i] ?? 0,
    drifted: m.feature_drifted[i] === 1,
    eventId: m.event_id,
    distribution,
  };
}
