import { describe, expect, it } from 'vitest';
import { populationStd, wassersteinDistance, wassersteinNormed } from './index.ts';
import { expectClose, reference, sampleOf } from './scipy-reference.fixture.ts';

describe('Wasserstein-1 normed by the reference std (Evidently), against scipy.stats.wasserstein_distance / np.std', () => {
  it.each(reference.wasserstein)('$name', (c) => {
    const [ref, cur] = [sampleOf(c.reference), sampleOf(c.current)];
    expectClose(wassersteinDistance(ref, cur), c.distance);
    expectClose(populationStd(ref), c.std);
    expectClose(wassersteinNormed(ref, cur), c.normed);
  });

  it('divides by 0.001 when the reference is constant, and is 0 when nothing moved', () => {
    expect(wassersteinNormed([5, 5, 5], [5, 5])).toBe(0);
    expect(wassersteinNormed([5, 5, 5], [5.5])).toBeCloseTo(500, 9);
  });
});
