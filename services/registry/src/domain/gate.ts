import type { GateResult, PromotionGate } from '@mlstream/kit';

export interface GateContext {
  /** Final metrics of a run as the registry processor knows them, or undefined if it knows none. */
  runMetrics(runId: string): Record<string, number> | undefined;
}

const compare = (comparator: PromotionGate['comparator'], a: number, b: number): boolean => {
  switch (comparator) {
    case 'GT':
      return a > b;
    case 'GTE':
      return a >= b;
    case 'LT':
      return a < b;
    case 'LTE':
      return a <= b;
    default: {
      const _exhaustive: never = comparator;
      return _exhaustive;
    }
  }
};

export type GateOutcome = { passed: true; result: GateResult } | { passed: false; message: string; details: Record<string, string> };

/** Evaluates a promotion gate for a candidate run against a threshold or the current Production run. */
export function evaluateGate(gate: PromotionGate, candidateRunId: string | null | undefined, production: { version: number; runId: string | null | undefined } | undefined, context: GateContext): GateOutcome {
  const base = { metric: gate.metric, comparator: gate.comparator };
  const fail = (message: string, details: Record<string, string> = {}): GateOutcome => ({ passed: false, message, details: { metric: gate.metric, comparator: gate.comparator, ...details } });
  if (!candidateRunId) return fail('the candidate version has no run, so it has no metrics to gate on');
  const candidateValue = context.runMetrics(candidateRunId)?.[gate.metric];
  if (candidateValue === undefined) return fail(`run ${candidateRunId} has no metric ${gate.metric}`, { runId: candidateRunId });
  if (gate.beatProduction) {
    if (!production) return { passed: true, result: { ...base, threshold: null, candidateValue, productionVersion: null, productionValue: null, passed: true } };
    const productionValue = production.runId ? context.runMetrics(production.runId)?.[gate.metric] : undefined;
    if (productionValue === undefined) return fail(`Production version ${production.version} has no metric ${gate.metric} to compare with`, { productionVersion: String(production.version) });
    const passed = compare(gate.comparator, candidateValue, productionValue);
    const details = { candidateValue: String(candidateValue), productionVersion: String(production.version), productionValue: String(productionValue) };
    return passed
      ? { passed, result: { ...base, threshold: null, candidateValue, productionVersion: production.version, productionValue, passed } }
      : fail(`${gate.metric} ${candidateValue} is not ${gate.comparator} Production version ${production.version}'s ${productionValue}`, details);
  }
  if (gate.threshold === null || gate.threshold === undefined) return fail('the gate needs a threshold or beatProduction');
  const passed = compare(gate.comparator, candidateValue, gate.threshold);
  return passed
    ? { passed, result: { ...base, threshold: gate.threshold, candidateValue, productionVersion: null, productionValue: null, passed } }
    : fail(`${gate.metric} ${candidateValue} is not ${gate.comparator} ${gate.threshold}`, { candidateValue: String(candidateValue), threshold: String(gate.threshold) });
}
