import { describe, expect, it } from 'vitest';
import { predictLogistic, trainLogistic, type TrainingRow } from './logistic.ts';

/** Seeded rows whose label follows x - y plus a category effect. */
function rows(n: number, seed = 1): TrainingRow[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => {
    const x = rnd() * 10;
    const y = rnd() * 10;
    const plan = rnd() < 0.5 ? 'a' : 'b';
    return { numericFeatures: { x, y }, categoricalFeatures: { plan }, label: x - y + (plan === 'a' ? 2 : -2) > 0 ? 'yes' : 'no' };
  });
}

describe('trainLogistic', () => {
  it('learns a separable relation (accuracy > 0.95 on fresh rows)', () => {
    const model = trainLogistic(rows(2000));
    const test = rows(1000, 99);
    const accuracy = test.filter((r) => predictLogistic(model, r).label === r.label).length / test.length;
    expect(accuracy).toBeGreaterThan(0.95);
    expect(model.classes).toEqual(['no', 'yes']);
  });
  it('is deterministic: the same rows give the same model', () => {
    expect(trainLogistic(rows(300))).toEqual(trainLogistic(rows(300)));
  });
  it('refuses anything but two classes', () => {
    expect(() => trainLogistic([{ numericFeatures: {}, categoricalFeatures: {}, label: 'a' }])).toThrow(/exactly two label classes/);
  });
});
