import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, isMlstreamError, type ClickHouseClient } from '@mlstream/kit';
import { driftFeatureDetail, migrate } from '@mlstream/materializer';
import { connections, uniqueName } from '../helpers/index.ts';

// The console's drift cell detail against real ClickHouse: rows as the
// materializer writes them (drift_measurements, datasets, predictions), the
// query bins the window's predictions on the reference profile's edges.
describe('drift feature detail (ClickHouse)', () => {
  const db = uniqueName('dfd').replace(/-/g, '_');
  const client: ClickHouseClient = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const deps = { client, database: db };
  const base = (i: number) => ({ _topic: 't', _partition: 0, _offset: i, event_id: `e${i}`, occurred_at: Math.floor((T0 + i) / 1000), occurred_ms: T0 + i });
  const T0 = Date.UTC(2026, 10, 27, 10);

  beforeAll(async () => {
    await migrate({ client, database: db });
    const profile = [
      { name: 'age', count: 100, nulls: 0, numeric: { min: 0, max: 30, mean: 15, std: 5, binEdges: [0, 10, 20, 30], binCounts: [30, 40, 30] } },
      { name: 'plan', count: 100, nulls: 0, categorical: { counts: { basic: 60, pro: 40 }, topK: 10, otherCount: 0 } },
    ];
    await client.insert({ table: `${db}.datasets`, format: 'JSONEachRow', values: [{ ...base(1), dataset_id: 'train', version: 'v1', uri: 'mem://x', content_sha256: 'ab', row_count: 100, producer: 'p', feature_names: ['age', 'plan'], feature_types: ['NUMERIC', 'CATEGORICAL'], validation_passed: 1, check_names: [], check_passed: [], tag_keys: [], tag_values: [], profile_json: JSON.stringify(profile) }] });
    // Window 0 spans T0+10 .. T0+15; one prediction of another version and one after the window are left out.
    const ages = [-5, 5, 10, 15, 30, 45];
    const plans = ['basic', 'pro', 'pro', 'team', 'pro', 'basic'];
    const pred = (i: number, at: number, version: number, age: number, plan: string) => ({ ...base(100 + i), occurred_at: Math.floor(at / 1000), occurred_ms: at, request_id: `r${i}`, model: 'churn', version, latency_ms: 1, is_error: 0, error: '', prediction: '1', prediction_num: 1, numeric_keys: ['age'], numeric_values: [age], categorical_keys: ['plan'], categorical_values: [plan], probability_keys: [], probability_values: [] });
    await client.insert({ table: `${db}.predictions`, format: 'JSONEachRow', values: [...ages.map((a, i) => pred(i, T0 + 10 + i, 1, a, plans[i]!)), pred(50, T0 + 12, 2, 5, 'basic'), pred(51, T0 + 99, 1, 5, 'basic')] });
    const measured = (offset: number, index: number, start: number, end: number, count: number, referenceId: string) => ({ ...base(offset), model: 'churn', version: 1, window_id: `churn/1/COUNT/${index}`, window_index: index, window_kind: 'COUNT', window_start_ms: T0 + start, window_end_ms: T0 + end, window_count: count, reference_id: referenceId, drifted_share: 0.5, dataset_drift: 1, feature_names: ['age', 'plan'], feature_kinds: ['numeric', 'categorical'], feature_tests: ['ks', 'chisquare'], feature_statistics: [0.4, 0.2], feature_p_values: [0.01, null], feature_thresholds: [0.05, 0.05], feature_drifted: [1, 0], prediction_drift_statistic: null, prediction_drifted: null, label_drift_statistic: null, label_drifted: null, labeled: 0, accuracy: null, f1: null, mae: null, rmse: null, concept_drift: 0 });
    // Window 1 (the prediction at T0+99) has no training profile: its reference is window 0.
    await client.insert({ table: `${db}.drift_measurements`, format: 'JSONEachRow', values: [measured(200, 0, 10, 15, 6, 'dataset:train@v1'), measured(201, 1, 99, 99, 1, 'churn/1/COUNT/0')] });
  });
  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('a numeric feature: the window predictions on the reference bins (clamped ends), with test and verdict', async () => {
    const d = await driftFeatureDetail(deps, { model: 'churn', windowId: 'churn/1/COUNT/0', feature: 'age' });
    expect(d).toMatchObject({ version: 1, windowIndex: 0, count: 6, referenceId: 'dataset:train@v1', test: 'ks', statistic: 0.4, pValue: 0.01, threshold: 0.05, drifted: true });
    // -5 → first bin; 5; 10 and 15; 30 (the last edge, closed) and 45 (clamped) → last bin.
    expect(d.distribution).toEqual({ kind: 'numeric', edges: [0, 10, 20, 30], reference: [30, 40, 30], current: [2, 2, 2] });
  });

  it('a categorical feature: reference and current counts over the union of categories', async () => {
    const d = await driftFeatureDetail(deps, { model: 'churn', windowId: 'churn/1/COUNT/0', feature: 'plan' });
    expect(d).toMatchObject({ test: 'chisquare', pValue: null, drifted: false });
    expect(d.distribution).toEqual({ kind: 'categorical', categories: ['basic', 'pro', 'team'], reference: [60, 40, 0], current: [2, 3, 1] });
  });

  it('without a training profile, the reference window is the reference: equal-width bins over both', async () => {
    const age = await driftFeatureDetail(deps, { model: 'churn', windowId: 'churn/1/COUNT/1', feature: 'age' });
    if (age.distribution.kind !== 'numeric') throw new Error('expected numeric');
    expect(age.distribution.edges).toHaveLength(21);
    expect([age.distribution.edges[0], age.distribution.edges[20]]).toEqual([-5, 45]);
    expect(age.distribution.current.reduce((a, b) => a + b, 0)).toBe(1);
    expect(age.distribution.current[4]).toBe(1);
    expect(age.distribution.reference).toEqual([1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const plan = await driftFeatureDetail(deps, { model: 'churn', windowId: 'churn/1/COUNT/1', feature: 'plan' });
    expect(plan.distribution).toEqual({ kind: 'categorical', categories: ['basic', 'pro', 'team'], reference: [2, 3, 1], current: [1, 0, 0] });
  });

  it('an unknown window or feature is NOT_FOUND', async () => {
    await expect(driftFeatureDetail(deps, { model: 'churn', windowId: 'nope', feature: 'age' })).rejects.toSatisfy((e) => isMlstreamError(e, 'NOT_FOUND'));
    await expect(driftFeatureDetail(deps, { model: 'churn', windowId: 'churn/1/COUNT/0', feature: 'zip' })).rejects.toSatisfy((e) => isMlstreamError(e, 'NOT_FOUND'));
  });
});
