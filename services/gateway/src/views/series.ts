import type { MetricPoint } from './types.ts';

/**
 * Every observation of one metric of one run, stored column-wise: three
 * float64 columns (value, step, timestamp), 24 bytes a point plus the
 * doubling slack, instead of ~100 bytes for an object per point. Points are
 * materialized as objects only when a history is read.
 */
export interface MetricSeries {
  readonly key: string;
  readonly length: number;
  push(value: number, step: number, timestamp: number): void;
  points(): MetricPoint[];
}

const FIRST_CAPACITY = 4;

export function createMetricSeries(key: string): MetricSeries {
  let capacity = FIRST_CAPACITY;
  let length = 0;
  let columns = new Float64Array(capacity * 3);
  return {
    key,
    get length() {
      return length;
    },
    push(value, step, timestamp) {
      if (length === capacity) {
        capacity *= 2;
        const grown = new Float64Array(capacity * 3);
        grown.set(columns);
        columns = grown;
      }
      columns[length * 3] = value;
      columns[length * 3 + 1] = step;
      columns[length * 3 + 2] = timestamp;
      length += 1;
    },
    points() {
      const out: MetricPoint[] = new Array(length);
      for (let i = 0; i < length; i++) out[i] = { key, value: columns[i * 3]!, step: columns[i * 3 + 1]!, timestamp: columns[i * 3 + 2]! };
      return out;
    },
  };
}
