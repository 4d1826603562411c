import { describe, expect, it } from 'vitest';
import { emptyQualityAcc, observeNumeric, type QualityAcc } from './accumulate.ts';
import { measureQuality } from './measure.ts';
import { schemaFromProfile, schemaFromSample, type QualitySchema } from './schema.ts';
import { defaultConfig } from '../config.ts';

const schema: QualitySchema = { id: 'dataset:d@1', numeric: { age: [18, 90], income: [0, 1e6] }, categorical: { plan: { basic: 1, pro: 1 } }, constant: [] };

/** Feeds rows the way the detector does: numeric values through observeNumeric, categories as counts. */
function windowOf(rows: Array<{ n?: Record<string, number>; c?: Record<string, string> }>, s: QualitySchema | null = schema) {
  const acc: QualityAcc = emptyQualityAcc();
  const categorical: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.n ?? {})) observeNumeric(acc, s, k, v);
    for (const [k, v] of Object.entries(r.c ?? {})) (categorical[k] ??= {})[v] = (categorical[k]![v] ?? 0) + 1;
  }
  return measureQuality(acc, categorical, rows.length, s, defaultConfig);
}

const clean = (i: number): { n: Record<string, number>; c: Record<string, string> } => ({ n: { age: 20 + (i % 50), income: 1000 * i }, c: { plan: i % 2 ? 'basic' : 'pro' } });

describe('data quality of a window', () => {
  it('scores a clean window 1 and passes it', () => {
    const q = windowOf(Array.from({ length: 100 }, (_, i) => clean(i)));
    expect(q).toMatchObject({ score: 1, passed: true, failures: [], missingFeatures: [], extraFeatures: [] });
    expect(q.features.map((f) => [f.feature, f.kind, f.present, f.missingShare, f.outOfRangeShare, f.unseenShare])).toEqual([
      ['age', 'numeric', 100, 0, 0, null],
      ['income', 'numeric', 100, 0, 0, null],
      ['plan', 'categorical', 100, 0, null, 0],
    ]);
  });

  it('an empty window has nothing to score and nothing failed', () => {
    const q = windowOf([]);
    expect(q.score).toBeNull();
    expect(q.passed).toBe(true);
    expect(q.missingFeatures).toEqual([]);
    expect(q.features.every((f) => f.missingShare === 0 && f.outOfRangeShare === null && f.unseenShare === null)).toBe(true);
  });

  it('all values missing: every training feature is missing, the score is 0', () => {
    const q = windowOf(Array.from({ length: 10 }, () => ({})));
    expect(q.score).toBe(0);
    expect(q.missingFeatures).toEqual(['age', 'income', 'plan']);
    expect(q.features.map((f) => f.missingShare)).toEqual([1, 1, 1]);
    expect(q.failures.map((f) => `${f.feature}:${f.check}`)).toEqual(['age:missing_share', 'income:missing_share', 'plan:missing_share', ':score']);
  });

  it('counts a feature absent from a prediction, or NaN, as missing', () => {
    const rows = Array.from({ length: 100 }, (_, i) => clean(i));
    for (let i = 0; i < 10; i++) delete rows[i]!.n.age;
    rows[50]!.n.age = NaN;
    const q = windowOf(rows);
    const age = q.features.find((f) => f.feature === 'age')!;
    expect(age).toMatchObject({ present: 89, missingShare: 0.11, outOfRangeShare: 0 });
    expect(q.failures).toEqual([{ feature: 'age', check: 'missing_share', observed: 0.11, threshold: 0.05 }]);
    expect(q.score).toBeCloseTo(1 - 11 / 300, 12);
  });

  it('measures out-of-range values against the training range, over the values present', () => {
    const rows = Array.from({ length: 100 }, (_, i) => clean(i));
    for (let i = 0; i < 8; i++) rows[i]!.n.age = i % 2 ? 17.999 : 90.001;
    rows[8]!.n.age = 90; // the range is inclusive
    for (let i = 90; i < 100; i++) delete rows[i]!.n.age;
    const age = windowOf(rows).features.find((f) => f.feature === 'age')!;
    expect(age.outOfRangeShare).toBe(8 / 90);
  });

  it('measures unseen categories; unknown when the profile truncated its categories', () => {
    const rows = Array.from({ length: 100 }, (_, i) => clean(i));
    for (let i = 0; i < 7; i++) rows[i]!.c.plan = 'enterprise';
    const q = windowOf(rows);
    expect(q.features.find((f) => f.feature === 'plan')!.unseenShare).toBe(0.07);
    expect(q.failures).toEqual([{ feature: 'plan', check: 'unseen_share', observed: 0.07, threshold: 0.05 }]);
    const truncated = schemaFromProfile({ id: 'p', rows: 10, numeric: {}, categorical: { plan: { counts: { basic: 5 }, other: 5 } } });
    expect(truncated.categorical.plan).toBeNull();
    expect(windowOf(rows, truncated).features.find((f) => f.feature === 'plan')!.unseenShare).toBeNull();
  });

  it('reports schema violations: a training feature in the wrong map, extra features, missing features', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ n: { age: 30, income: i, plan: 1, extra: i } as Record<string, number>, c: {} as Record<string, string> }));
    const q = windowOf(rows);
    expect(q.missingFeatures).toEqual([]); // plan arrives, with the wrong type
    expect(q.extraFeatures).toEqual(['extra']);
    const plan = q.features.find((f) => f.feature === 'plan')!;
    expect(plan).toMatchObject({ present: 0, missingShare: 0, typeMismatchShare: 1 });
    expect(q.failures.map((f) => `${f.feature}:${f.check}`)).toEqual(['age:constant', 'plan:type_mismatch', 'extra:extra_feature', ':score']);
    expect(q.failures.find((f) => f.check === 'extra_feature')!.observed).toBe(20);
  });

  it('flags a constant feature only when the reference varies', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ n: { age: 42, income: i }, c: { plan: 'pro' } }));
    expect(windowOf(rows).features.filter((f) => f.constant).map((f) => f.feature)).toEqual(['age', 'plan']);
    const constantPlan = { ...schema, constant: ['plan'] };
    expect(windowOf(rows, constantPlan).features.filter((f) => f.constant).map((f) => f.feature)).toEqual(['age']);
    expect(windowOf([{ n: { age: 1, income: 1 }, c: { plan: 'pro' } }]).features.filter((f) => f.constant)).toEqual([]);
  });

  it('without a schema (the reference window) holds the window to the features it carried, with no ranges', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ n: (i < 30 ? { x: i } : {}) as Record<string, number>, c: { k: 'a' } }));
    const q = windowOf(rows, null);
    expect(q.features.map((f) => [f.feature, f.missingShare, f.outOfRangeShare, f.unseenShare])).toEqual([
      ['k', 0, null, null],
      ['x', 0.25, null, null],
    ]);
    expect(q.extraFeatures).toEqual([]);
  });

  it('derives the schema of a reference window from its values and categories', () => {
    const s = schemaFromSample('m/v1/count/0', { count: 3, numeric: { x: [3, -1, 2], z: [5, 5, 5] }, categorical: { k: { a: 2, b: 1 } }, predictionNumeric: [], predictionCategorical: {} });
    expect(s).toEqual({ id: 'm/v1/count/0', numeric: { x: [-1, 3], z: [5, 5] }, categorical: { k: { a: 1, b: 1 } }, constant: ['z'] });
  });
});
