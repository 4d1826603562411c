import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPERIMENT, experimentIdOf } from './experiment-id.ts';

describe('experimentIdOf', () => {
  it('gives the default experiment its MLflow id 0', () => {
    expect(experimentIdOf('Default')).toBe('0');
    expect(DEFAULT_EXPERIMENT.id).toBe('0');
  });

  it('is a stable decimal string below 2^52, different for different names', () => {
    const a = experimentIdOf('fraud-detection');
    expect(a).toMatch(/^[1-9]\d*$/);
    expect(Number(a)).toBeLessThan(2 ** 52);
    expect(experimentIdOf('fraud-detection')).toBe(a);
    expect(experimentIdOf('fraud-detection ')).not.toBe(a);
    const ids = new Set(Array.from({ length: 2000 }, (_, i) => experimentIdOf(`exp-${i}`)));
    expect(ids.size).toBe(2000);
  });
});
