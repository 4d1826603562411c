import { describe, expect, it } from 'vitest';
import { bucketSecondsFor, championAndChallenger, healthSeries, resolveRange, summary } from './series.ts';

const T = Date.UTC(2026, 10, 27, 12);
const point = (version: number, minute: number, requests: number, errors: number, p99: number) => ({ version, bucketStart: T + minute * 60_000, requests, errors, errorRate: errors / requests, latencyMs: { p50: p99 / 4, p95: p99 / 2, p99 } });

describe('health series', () => {
  it('resolves the range from the URL: explicit from/to, a named range, or the last 24 h', () => {
    expect(resolveRange(new URLSearchParams(`from=${T - 1000}&to=${T}`), T + 5)).toEqual({ from: T - 1000, to: T, range: 'custom' });
    expect(resolveRange(new URLSearchParams(`from=${T - 1000}`), T + 5)).toEqual({ from: T - 1000, to: T + 5, range: 'custom' });
    expect(resolveRange(new URLSearchParams('range=1h'), T)).toEqual({ from: T - 3_600_000, to: T, range: '1h' });
    expect(resolveRange(new URLSearchParams('range=bogus'), T)).toEqual({ from: T - 86_400_000, to: T, range: '24h' });
  });

  it('picks bucket widths in whole minutes, at most maxPoints buckets', () => {
    expect(bucketSecondsFor(T - 3_600_000, T)).toBe(60);
    expect(bucketSecondsFor(T - 86_400_000, T)).toBe(360);
    expect(bucketSecondsFor(T - 7 * 86_400_000, T, 200)).toBe(3060);
  });

  it('aligns champion and challenger on every bucket of the range, gaps as null', () => {
    const s = healthSeries([point(1, 0, 120, 6, 40), point(2, 2, 60, 0, 80), point(1, 2, 60, 0, 50), point(3, 1, 1, 0, 1)], T, T + 3 * 60_000, 60, [1, 2]);
    expect(s.x).toEqual([T / 1000, T / 1000 + 60, T / 1000 + 120]);
    expect(s.versions).toEqual([1, 2]);
    expect(s.values[1]!.rps).toEqual([2, null, 1]);
    expect(s.values[1]!.errorRate).toEqual([0.05, null, 0]);
    expect(s.values[2]!.p99).toEqual([null, null, 80]);
    expect(s.values[3]).toBeUndefined();
  });

  it('summarises a version: totals and the latest p99', () => {
    expect(summary([point(1, 0, 100, 10, 40), point(1, 5, 100, 0, 70), point(2, 9, 5, 5, 1)], 1)).toEqual({ requests: 200, errorRate: 0.05, p99: 70, p99At: T + 5 * 60_000 });
    expect(summary([], 1)).toEqual({ requests: 0, errorRate: null, p99: null, p99At: null });
  });
});

describe('champion and challenger', () => {
  const model = (aliases: Record<string, number>, stages: string[]) => ({ name: 'm', aliases, versions: stages.map((stage, i) => ({ version: i + 1, stage, aliases: [] })) });
  it('prefers the aliases, then the Production and Staging versions', () => {
    expect(championAndChallenger(model({ champion: 1, challenger: 3 }, ['PRODUCTION', 'STAGING', 'DEVELOPMENT']))).toEqual({ champion: 1, challenger: 3 });
    expect(championAndChallenger(model({}, ['ARCHIVED', 'PRODUCTION', 'STAGING']))).toEqual({ champion: 2, challenger: 3 });
    expect(championAndChallenger(model({ champion: 2 }, ['ARCHIVED', 'STAGING']))).toEqual({ champion: 2, challenger: undefined });
    expect(championAndChallenger(undefined)).toEqual({});
  });
});
