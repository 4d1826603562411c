import { describe, expect, it } from 'vitest';
import { median, summarize, verdict } from './summary.ts';

const machine = { cpus: 2, node: 'v20', loadAverage1m: 1 };

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle pair of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('refuses an empty list', () => expect(() => median([])).toThrow(/nothing/));
});

describe('verdict', () => {
  it('checks the ratio or the value against both bounds', () => {
    expect(verdict({ on: 'ratio', atLeast: 0.7, text: '' }, 100, 0.69)).toBe('short');
    expect(verdict({ on: 'ratio', atLeast: 0.7, text: '' }, 100, 0.7)).toBe('pass');
    expect(verdict({ on: 'value', atMost: 100, text: '' }, 101, undefined)).toBe('short');
    expect(verdict({ on: 'ratio', atLeast: 0.9, atMost: 1.1, text: '' }, 0, 1.12)).toBe('short');
    expect(verdict(undefined, 1, 1)).toBe('none');
  });
  it('counts a ratio goal without a ceiling as short, never as a pass', () => {
    expect(verdict({ on: 'ratio', atLeast: 0.5, text: '' }, 1, undefined)).toBe('short');
  });
});

describe('summarize', () => {
  it('takes the median of per-round ratios, not the ratio of medians, and keeps the spread', () => {
    const round = (value: number, ceiling: number) => ({ params: { n: 1 }, figures: [{ figure: 'x/s', unit: '/s', value, ceiling: { what: 'raw', value: ceiling }, goal: { on: 'ratio' as const, atLeast: 0.5, text: '>= 0.5' } }] });
    const result = summarize('b', [round(10, 20), round(30, 40), round(12, 48)], machine, 't');
    const [f] = result.figures;
    expect(f).toMatchObject({ figure: 'x/s', value: 12, ceiling: { what: 'raw', value: 40 }, ratio: 0.5, spread: { min: 0.25, max: 0.75 }, rounds: 3, verdict: 'pass' });
    expect(f!.perRound).toEqual([{ value: 10, ceiling: 20 }, { value: 30, ceiling: 40 }, { value: 12, ceiling: 48 }]);
  });
  it('keeps figures without a ceiling and in first-seen order', () => {
    const result = summarize('b', [{ params: {}, figures: [{ figure: 'a', unit: 'ms', value: 3 }, { figure: 'b', unit: 'ms', value: 1 }] }], machine, 't');
    expect(result.figures.map((f) => [f.figure, f.ratio, f.verdict])).toEqual([['a', undefined, 'none'], ['b', undefined, 'none']]);
  });
});
