import { describe, expect, it } from 'vitest';
import { createMetricSeries } from './series.ts';

describe('metric series: column-wise history of one metric', () => {
  it('keeps every point in log order across growth, NaN and infinities included', () => {
    const s = createMetricSeries('loss');
    const values = [0.5, Number.NaN, Number.POSITIVE_INFINITY, -1, 2 ** 53 - 1];
    for (let i = 0; i < 1_000; i++) s.push(values[i % values.length]!, i, 1_700_000_000_000 + i);
    expect(s.length).toBe(1_000);
    const points = s.points();
    expect(points[0]).toEqual({ key: 'loss', value: 0.5, step: 0, timestamp: 1_700_000_000_000 });
    expect(points[1]!.value).toBeNaN();
    expect(points[999]).toEqual({ key: 'loss', value: 2 ** 53 - 1, step: 999, timestamp: 1_700_000_000_999 });
    expect(createMetricSeries('x').points()).toEqual([]);
  });
});
