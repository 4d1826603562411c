import { describe, expect, it } from 'vitest';
import { checkWindow, driftHistorySql, modelHealthSql, sql } from '@mlstream/materializer';
import { resolveWindow } from './analytics.ts';

const NOW = Date.UTC(2026, 10, 27, 12);
const DAY = 86_400_000;

describe('analytics windows: from only, to only, both or none, one rule for every endpoint', () => {
  it.each([
    ['none', {}, { from: NOW - DAY, to: NOW }],
    ['from only', { from: NOW - 3 * DAY }, { from: NOW - 3 * DAY, to: NOW }],
    ['to only', { to: NOW - 10 * DAY }, { from: NOW - 11 * DAY, to: NOW - 10 * DAY }],
    ['both', { from: 1000, to: 2000 }, { from: 1000, to: 2000 }],
  ])('%s', (_, query, window) => {
    expect(resolveWindow(query, NOW)).toEqual(window);
    // Each resolved window is one the queries accept (drift with from only was 400: its open end reached 2100, past the 366-day cap).
    expect(checkWindow(resolveWindow(query, NOW))).toEqual(window);
    const db = sql`db`;
    expect(() => driftHistorySql(db, { model: 'm', ...resolveWindow(query, NOW) })).not.toThrow();
    expect(() => modelHealthSql(db, { model: 'm', ...resolveWindow(query, NOW) })).not.toThrow();
  });

  it('a to before the first day does not go negative', () => {
    expect(resolveWindow({ to: 1000 }, NOW)).toEqual({ from: 0, to: 1000 });
  });
});
