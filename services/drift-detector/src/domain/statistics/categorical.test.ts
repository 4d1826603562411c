import { describe, expect, it } from 'vitest';
import { alignCategories, chiSquare, fillEmptyBins, gammaQ, histogram, jensenShannon, proportions, psi, quantileBinEdges } from './index.ts';
import { expectClose, reference } from './scipy-reference.fixture.ts';

describe('chi-square goodness of fit (Evidently), against scipy.stats.chisquare', () => {
  it.each(reference.chiSquare)('$name', (c) => {
    const result = chiSquare(c.reference, c.current, { unseenReferenceCount: c.unseenReferenceCount });
    expectClose(result.statistic, c.statistic === 'Infinity' ? Number.POSITIVE_INFINITY : c.statistic);
    expectClose(result.pValue, c.pValue);
  });

  it('gives a category the reference never saw half a count: a few new values drift, one does not', () => {
    const ref = { a: 400, b: 350, c: 250 };
    expect(chiSquare(ref, { a: 400, b: 350, c: 245, new: 5 }).pValue).toBeLessThan(1e-8);
    expect(chiSquare(ref, { a: 400, b: 350, c: 249, new: 1 }).pValue).toBeGreaterThan(0.9);
  });

  it('ignores categories empty on both sides and has p = 1 for a single category', () => {
    expect(chiSquare({ a: 10, b: 0 }, { a: 3 })).toEqual({ statistic: 0, pValue: 1, df: 0 });
  });
});

describe('regularized upper incomplete gamma, against scipy.special.gammaincc', () => {
  it.each(reference.gammaQ)('Q($a, $x)', (c) => expectClose(gammaQ(c.a, c.x), c.q));
});

describe('reference-quantile bins and PSI (Evidently), against numpy', () => {
  it.each(reference.binning)('$name: edges as np.quantile, counts as np.histogram, PSI with empty-bin filling', (c) => {
    const edges = quantileBinEdges(c.reference, c.bins);
    expect(edges).toEqual(c.edges);
    const ref = histogram(c.reference, edges);
    expect(ref).toEqual(c.countsRef);
    expect(histogram(c.current, edges)).toEqual(c.countsCurDrop);
    expect(histogram(c.current, edges, { outside: 'clamp' })).toEqual(c.countsCurClamp);
    const refP = proportions(ref, c.reference.length);
    expectClose(psi(refP, proportions(histogram(c.current, edges), c.current.length)), c.psiDrop);
    expectClose(psi(refP, proportions(histogram(c.current, edges, { outside: 'clamp' }), c.current.length)), c.psiClamp);
  });

  it.each(reference.psi)('PSI $name', (c) => expectClose(psi(proportions(c.reference), proportions(c.current)), c.psi));

  it('fills empty bins with 0.0001, or smallest/10^6 when a bin is already that small', () => {
    expect(fillEmptyBins([0.5, 0, 0.5])).toEqual([0.5, 0.0001, 0.5]);
    expect(fillEmptyBins([0.00005, 0, 0.99995])).toEqual([0.00005, 0.00005 / 10 ** 6, 0.99995]);
  });
});

describe('Jensen–Shannon distance, against scipy.spatial.distance.jensenshannon', () => {
  it.each(reference.jensenShannon)('$name', (c) => expectClose(jensenShannon(c.p, c.q, c.base), c.distance));

  it('is 1 for disjoint distributions in base 2', () => {
    expect(jensenShannon([3, 0], [0, 7])).toBe(1);
  });
});

it('aligns category counts over the sorted union', () => {
  expect(alignCategories({ b: 2, a: 1 }, { c: 3, a: 4 })).toEqual({ categories: ['a', 'b', 'c'], reference: [1, 2, 0], current: [4, 0, 3] });
});
