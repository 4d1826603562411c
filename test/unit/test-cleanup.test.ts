import { describe, expect, it } from 'vitest';
import { STALE_MS, removable } from '../helpers/cleanup.ts';

// Several test runs share one local stack: a run's cleanup must remove its own topics and
// databases, and stale ones of dead runs, never those of a run still going.
describe('test data cleanup', () => {
  const now = Date.UTC(2026, 10, 27, 15);
  const name = (at: number, hex: string, label: string) => `t${at.toString(36)}${hex}-${label}`;
  const mine = name(now - 60_000, 'a1b2c3', 'crash');
  const theirs = name(now - 30_000, 'd4e5f6', 'crash');
  const stale = name(now - STALE_MS - 1, '0a0b0c', 'old');
  const options = { names: [mine], now };

  it("removes this run's topics and databases", () => {
    expect(removable(`${mine}.mlops.predictions.v1`, options)).toBe(true);
    expect(removable(mine.replace(/-/g, '_'), options)).toBe(true);
  });

  it("keeps another run's, removes data older than STALE_MS, ignores other names", () => {
    expect(removable(`${theirs}.mlops.predictions.v1`, options)).toBe(false);
    expect(removable(theirs.replace(/-/g, '_'), options)).toBe(false);
    expect(removable(`${stale}.mlops.runs.v1`, options)).toBe(true);
    expect(removable('mlops.predictions.v1', options)).toBe(false);
    expect(removable('mlstream', options)).toBe(false);
  });
});
