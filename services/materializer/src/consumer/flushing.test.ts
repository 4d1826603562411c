import { describe, expect, it } from 'vitest';
import { flushDue } from './flushing.ts';

const limits = { idleMs: 5, maxWaitMs: 250 };

describe('flushDue', () => {
  it('waits while records keep arriving and the oldest is young', () => {
    expect(flushDue({ since: 1_000, lastAt: 1_098 }, 1_100, limits)).toBe(false);
  });

  it('flushes a partition that went idle, however young its buffer', () => {
    expect(flushDue({ since: 1_095, lastAt: 1_095 }, 1_100, limits)).toBe(true);
    expect(flushDue({ since: 1_096, lastAt: 1_096 }, 1_100, limits)).toBe(false);
  });

  it('flushes a partition that never pauses once its oldest record waited maxWaitMs', () => {
    expect(flushDue({ since: 850, lastAt: 1_099 }, 1_100, limits)).toBe(true);
    expect(flushDue({ since: 851, lastAt: 1_099 }, 1_100, limits)).toBe(false);
  });
});
