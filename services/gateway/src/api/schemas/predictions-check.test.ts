import { describe, expect, it } from 'vitest';
import { defaultLimits, type Limits } from '../../limits/index.ts';
import { predictionsBody } from './facts.ts';
import { checkPredictionsBody } from './predictions-check.ts';

// Small limits so every boundary is reachable with short values.
const limits: Limits = { ...defaultLimits, batchItems: 3, featuresPerPrediction: 3, keyLength: 5, stringLength: 8 };
const zod = predictionsBody(limits);
const fast = checkPredictionsBody(limits);

const valid = {
  eventId: '2b0a7f5e-6a7e-4d7c-9d55-1f1f0e3c8a10',
  occurredAt: 1_764_000_000_000,
  requestId: 'r-1',
  model: 'churn',
  version: 3,
  numericFeatures: { age: 41 },
  categoricalFeatures: { plan: 'pro' },
  prediction: 0.82,
  probabilities: null,
  latencyMs: 4.2,
  error: null,
};

/** The fast check may refuse more than zod, never less, and answers exactly what zod answers. */
const agrees = (body: unknown) => {
  const ours = fast(body);
  const theirs = zod.safeParse(body);
  if (ours !== undefined) {
    expect(theirs.success, `the fast check accepted what zod refuses: ${JSON.stringify(body)}`).toBe(true);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs.data));
    expect(ours).toEqual(theirs.data);
  }
  return { ours, zodAccepts: theirs.success };
};

const odd: unknown[] = [
  undefined, null, true, 0, -1, 1, 1.5, 2 ** 31, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, -0.5,
  '', 'x', 'abcde', 'abcdef', 'abcdefgh', 'abcdefghi', 'a\u0001b', 'a\u007fb', 'nan', ' -Infinity ', 'inf', '2b0a7f5e-6a7e-4d7c-9d55-1f1f0e3c8a10', '2b0a7f5e-6a7e-9d7c-9d55-1f1f0e3c8a10',
  946_684_800_000, 946_684_799_999, Date.now() + 10 * 24 * 3600 * 1000, 1_764_000_000_000.5,
  [], [1], {}, { a: 1 }, { a: 1, b: 2, c: 3, d: 4 }, { '': 1 }, { abcdef: 1 }, { 'a\u0000': 1 }, { a: 'x' }, { a: null }, { a: Number.NaN }, { a: 'abcdefghi' },
];

describe('checkPredictionsBody (the fast path before zod)', () => {
  it('answers what zod answers for valid bodies, defaults filled in and unknown keys dropped', () => {
    const { requestId: _r, ...partial } = valid;
    for (const body of [
      { predictions: [valid] },
      { predictions: [valid, { ...valid, prediction: 'yes', probabilities: { yes: 0.9 }, error: 'timeout' }], extra: 1 },
      { predictions: [{ requestId: 'r', model: 'm', version: 1, prediction: 1, latencyMs: 0, unknown: { deep: true } }] },
      { predictions: [{ ...partial, requestId: 'r-2', eventId: undefined, occurredAt: undefined }] },
    ]) {
      const { ours, zodAccepts } = agrees(body);
      expect(zodAccepts).toBe(true);
      expect(ours).toBeDefined();
    }
  });

  it('refuses every field value zod refuses, each field in turn', () => {
    let refused = 0;
    for (const field of Object.keys(valid)) {
      for (const value of odd) {
        const { ours, zodAccepts } = agrees({ predictions: [{ ...valid, [field]: value }] });
        if (!zodAccepts) {
          expect(ours).toBeUndefined();
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(200);
  });

  it('refuses bodies zod refuses: not an object, no batch, an empty or too long batch, too many features in all', () => {
    for (const body of [null, [], 'x', {}, { predictions: [] }, { predictions: {} }, { predictions: [valid, valid, valid, valid] }, { predictions: [{ ...valid, numericFeatures: { a: 1, b: 2 }, categoricalFeatures: { c: 'x', d: 'y' } }] }]) {
      const { ours, zodAccepts } = agrees(body);
      expect(zodAccepts).toBe(false);
      expect(ours).toBeUndefined();
    }
  });

  it('agrees with zod on random bodies', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const item: Record<string, unknown> = { ...valid };
      for (const field of Object.keys(valid)) if (rnd() < 0.15) item[field] = pick(odd);
      if (rnd() < 0.1) delete item[pick(Object.keys(valid))];
      const { ours, zodAccepts } = agrees({ predictions: rnd() < 0.1 ? [valid, item] : [item] });
      if (zodAccepts && ours !== undefined) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
