import { describe, expect, it } from 'vitest';
import { adwinInit, adwinMean, adwinUpdate, pageHinkleyInit, pageHinkleyUpdate, seededRandom, StatisticsInputError, type AdwinState, type PageHinkleyState } from './index.ts';

/** A seeded 0/1 error stream: error rate `before` for `changeAt` values, then `after`. */
function errorStream(seed: number, length: number, changeAt: number, before: number, after: number): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(random() < (i < changeAt ? before : after) ? 1 : 0);
  return out;
}

type Detector<S> = { init: () => S; update: (s: S, x: number) => { state: S; drift: boolean } };
const pageHinkley: Detector<PageHinkleyState> = { init: () => pageHinkleyInit(), update: pageHinkleyUpdate };
const adwin: Detector<AdwinState> = { init: () => adwinInit(), update: adwinUpdate };

function run<S>(detector: Detector<S>, stream: readonly number[]): { detections: number[]; state: S } {
  let state = detector.init();
  const detections: number[] = [];
  stream.forEach((x, i) => {
    const r = detector.update(state, x);
    state = r.state;
    if (r.drift) detections.push(i);
  });
  return { detections, state };
}

const specifyDetector = <S>(name: string, detector: Detector<S>, maxDelay: number) => describe(`${name} on an error stream`, () => {
  it(`detects an error rate going from 10 % to 50 % within ${maxDelay} values`, () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { detections } = run(detector, errorStream(seed, 3000, 2000, 0.1, 0.5));
      expect(detections.filter((i) => i < 2000)).toEqual([]);
      expect(detections[0]).toBeGreaterThanOrEqual(2000);
      expect(detections[0]).toBeLessThan(2000 + maxDelay);
    }
  });

  it('stays silent on 20 000 values of a stationary 10 % error rate', () => {
    for (const seed of [11, 12, 13]) expect(run(detector, errorStream(seed, 20_000, 20_000, 0.1, 0.1)).detections).toEqual([]);
  });

  it('gives the same output for the same input, also after a JSON snapshot and restore', () => {
    const stream = errorStream(7, 3000, 1500, 0.1, 0.4);
    const once = run(detector, stream);
    expect(run(detector, stream)).toEqual(once);

    let state = detector.init();
    const detections: number[] = [];
    stream.forEach((x, i) => {
      if (i % 500 === 0) state = JSON.parse(JSON.stringify(state));
      const r = detector.update(state, x);
      state = r.state;
      if (r.drift) detections.push(i);
    });
    expect({ detections, state }).toEqual(once);
  });

  it('does not modify the state it is given', () => {
    let state = detector.init();
    for (const x of errorStream(3, 700, 0, 0.3, 0.3)) state = detector.update(state, x).state;
    const before = structuredClone(state);
    detector.update(state, 1);
    expect(state).toEqual(before);
  });

  it('rejects a non-finite value', () => {
    expect(() => detector.update(detector.init(), Number.NaN)).toThrow(StatisticsInputError);
  });
});

specifyDetector('Page-Hinkley', pageHinkley, 300);
specifyDetector('ADWIN', adwin, 200);

describe('ADWIN memory', () => {
  it('keeps O(log n) buckets and shrinks the window to the new regime after a change', () => {
    const { state } = run(adwin, errorStream(21, 60_000, 50_000, 0.1, 0.6));
    const buckets = state.rows.reduce((s, r) => s + r.totals.length, 0);
    expect(buckets).toBeLessThanOrEqual(6 * Math.ceil(Math.log2(60_000)));
    // The 10 000 values since the change, plus at most part of one old bucket.
    expect(state.width).toBeLessThan(12_000);
    expect(adwinMean(state)).toBeGreaterThan(0.55);
  });
});

describe('Page-Hinkley parameters', () => {
  it('says which parameter is wrong', () => {
    expect(() => pageHinkleyInit({ alpha: 1.5 })).toThrow(/alpha must be in \(0, 1\]/);
    expect(() => adwinInit({ delta: 0 })).toThrow(/delta must be in \(0, 1\)/);
  });
});
