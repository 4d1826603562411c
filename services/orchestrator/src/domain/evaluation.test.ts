import { describe, expect, it } from 'vitest';
import { evaluateChallenger, type PairedOutcome } from './evaluation.ts';
import { mcnemarOneSided } from './mcnemar.ts';

const rows = (spec: { both: number; onlyChallenger: number; onlyChampion: number; neither: number }): PairedOutcome[] => [
  ...Array.from({ length: spec.both }, () => ({ label: 'a', champion: 'a', challenger: 'a' })),
  ...Array.from({ length: spec.onlyChallenger }, () => ({ label: 'a', champion: 'b', challenger: 'a' })),
  ...Array.from({ length: spec.onlyChampion }, () => ({ label: 'a', champion: 'a', challenger: 'b' })),
  ...Array.from({ length: spec.neither }, () => ({ label: 'a', champion: 'b', challenger: 'b' })),
];

describe('mcnemarOneSided', () => {
  it('equals the binomial tail (exact sums of C(n,k)/2^n, as scipy.stats.binomtest(b, b+c, alternative="greater"))', () => {
    expect(mcnemarOneSided(8, 2)).toBeCloseTo(0.0546875, 10);
    expect(mcnemarOneSided(30, 10)).toBeCloseTo(0.0011107168866, 10);
  });
  it('is 1 without discordant rows or when the challenger won none', () => {
    expect(mcnemarOneSided(0, 0)).toBe(1);
    expect(mcnemarOneSided(0, 5)).toBe(1);
  });
});

describe('evaluateChallenger', () => {
  it('promotes a clearly better challenger, with the numbers', () => {
    const e = evaluateChallenger(rows({ both: 150, onlyChallenger: 60, onlyChampion: 10, neither: 30 }));
    expect(e).toMatchObject({ labeled: 250, onlyChallengerRight: 60, onlyChampionRight: 10, decision: 'promote' });
    expect(e.challengerAccuracy).toBeCloseTo(0.84);
    expect(e.championAccuracy).toBeCloseTo(0.64);
  });
  it('rejects below the minimum labeled count even when better', () => {
    expect(evaluateChallenger(rows({ both: 50, onlyChallenger: 40, onlyChampion: 0, neither: 10 }))).toMatchObject({ decision: 'reject', reason: expect.stringMatching(/too few labeled rows: 100 < 200/) });
  });
  it('rejects a gain below the margin', () => {
    expect(evaluateChallenger(rows({ both: 300, onlyChallenger: 12, onlyChampion: 8, neither: 80 }))).toMatchObject({ decision: 'reject', reason: expect.stringMatching(/gain below the margin/) });
  });
  it('rejects a gain that is not significant', () => {
    expect(evaluateChallenger(rows({ both: 100, onlyChallenger: 40, onlyChampion: 30, neither: 30 }), { minLabeled: 100, margin: 0.01, alpha: 0.05 })).toMatchObject({ decision: 'reject', reason: expect.stringMatching(/not significant/) });
  });
});
