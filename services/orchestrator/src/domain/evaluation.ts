import { mcnemarOneSided } from './mcnemar.ts';

/** One labeled hold-out row, scored by both models. */
export interface PairedOutcome {
  label: string;
  champion: string;
  challenger: string;
}

export interface PromotionPolicy {
  /** Fewest labeled rows compared before anything is decided; default 200. */
  minLabeled: number;
  /** The challenger's accuracy must exceed the champion's by at least this; default 0.02. */
  margin: number;
  /** Significance level of the one-sided McNemar test; default 0.05. */
  alpha: number;
}

export const defaultPromotionPolicy: PromotionPolicy = { minLabeled: 200, margin: 0.02, alpha: 0.05 };

export interface Evaluation {
  labeled: number;
  championAccuracy: number;
  challengerAccuracy: number;
  onlyChallengerRight: number;
  onlyChampionRight: number;
  pValue: number;
  decision: 'promote' | 'reject';
  reason: string;
}

const f = (x: number) => x.toFixed(4);

/**
 * Pure: compares the champion's served predictions with the challenger's on
 * the same labeled rows (paired), and decides. Promote only when all three
 * hold: enough labeled rows, an accuracy gain of at least `margin`, and a
 * McNemar p-value at most `alpha`; otherwise reject, saying which failed.
 */
export function evaluateChallenger(rows: readonly PairedOutcome[], policy: PromotionPolicy = defaultPromotionPolicy): Evaluation {
  let championRight = 0;
  let challengerRight = 0;
  let b = 0;
  let c = 0;
  for (const r of rows) {
    const ch = r.champion === r.label;
    const cl = r.challenger === r.label;
    if (ch) championRight += 1;
    if (cl) challengerRight += 1;
    if (cl && !ch) b += 1;
    if (ch && !cl) c += 1;
  }
  const labeled = rows.length;
  const championAccuracy = labeled ? championRight / labeled : 0;
  const challengerAccuracy = labeled ? challengerRight / labeled : 0;
  const pValue = mcnemarOneSided(b, c);
  const gain = challengerAccuracy - championAccuracy;
  const numbers = `challenger ${f(challengerAccuracy)} vs champion ${f(championAccuracy)} on ${labeled} labeled rows (gain ${f(gain)}, discordant ${b}/${c}, McNemar p=${pValue.toPrecision(3)})`;
  const base = { labeled, championAccuracy, challengerAccuracy, onlyChallengerRight: b, onlyChampionRight: c, pValue };
  if (labeled < policy.minLabeled) return { ...base, decision: 'reject', reason: `too few labeled rows: ${labeled} < ${policy.minLabeled}; ${numbers}` };
  if (gain < policy.margin) return { ...base, decision: 'reject', reason: `gain below the margin ${policy.margin}: ${numbers}` };
  if (pValue > policy.alpha) return { ...base, decision: 'reject', reason: `not significant at ${policy.alpha}: ${numbers}` };
  return { ...base, decision: 'promote', reason: `better beyond the margin ${policy.margin} at ${policy.alpha}: ${numbers}` };
}
