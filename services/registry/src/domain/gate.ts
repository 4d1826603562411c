import type { GateResult, PromotionGate, Rejection } from '@mlstream/kit';
import type { DataValidationContext } from './validated-data.ts';

/** Read-only facts the model decider needs from other streams (the validatedData gate's are optional: absent, it refuses). */
export interface GateContext extends Partial<DataValidationContext> {
  /** Final metrics (latest per key, by step then timestamp) of a run as the registry processor knows them, or undefined if it knows none. */
  runMetrics(runId: string): Record<string, number> | undefined;
}

/** A version as the gate sees it. */
export interface GateSubject {
  version: number;
  runId: string | null;
}

export type GateOutcome = { passed: true; result: GateResult } | { passed: false; rejection: Rejection };

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

/** A gate that cannot be evaluated is a malformed command (INVALID_COMMAND), not a failed gate. */
export function gateProblem(gate: PromotionGate): Rejection | undefined {
  const invalid = (message: string): Rejection => ({ code: 'INVALID_COMMAND', message, details: { field: 'gate' } });
  if (!gate.metric) return invalid('the gate needs a metric');
  const threshold = gate.threshold ?? null;
  if (threshold === null && !gate.beatProduction) return invalid('the gate needs a threshold, beatProduction, or both');
  if (threshold !== null && !Number.isFinite(threshold)) return invalid(`the gate threshold ${threshold} is not a finite number`);
  return undefined;
}

/**
 * Evaluates a promotion gate (already checked by `gateProblem`) for a
 * candidate against its threshold and/or the current Production versions.
 *
 * - With a threshold, the candidate's value must compare with it.
 * - With beatProduction, it must compare with every current Production
 *   version (there can be several when promotions kept the previous one); the
 *   result records the one hardest to beat. With no Production version there
 *   is nothing to beat and this part passes: combine it with a threshold to
 *   guard a first promotion.
 * - A missing metric fails the gate, saying whose metric is missing.
 */
export function evaluateGate(gate: PromotionGate, candidate: GateSubject, production: GateSubject[], context: GateContext): GateOutcome {
  const { metric, comparator } = gate;
  const threshold = gate.threshold ?? null;
  const fail = (message: string, details: Record<string, string>): GateOutcome => ({ passed: false, rejection: { code: 'GATE_FAILED', message, details: { metric, comparator, ...details } } });
  const valueOf = (runId: string | null) => (runId === null ? undefined : context.runMetrics(runId)?.[metric]);

  if (candidate.runId === null) return fail(`version ${candidate.version} has no run, so it has no ${metric} to gate on`, { candidateVersion: String(candidate.version), missing: 'candidateValue' });
  const candidateValue = valueOf(candidate.runId);
  if (candidateValue === undefined) {
    const known = context.runMetrics(candidate.runId) !== undefined;
    const why = known ? `run ${candidate.runId} has no metric ${metric}` : `the registry knows no metrics of run ${candidate.runId} (none logged, or not read yet)`;
    return fail(why, { candidateVersion: String(candidate.version), runId: candidate.runId, missing: 'candidateValue' });
  }
  const numbers = { candidateValue: String(candidateValue) };

  if (threshold !== null && !compare(comparator, candidateValue, threshold)) {
    return fail(`${metric} ${candidateValue} is not ${comparator} ${threshold}`, { ...numbers, threshold: String(threshold) });
  }
  if (!gate.beatProduction || production.length === 0) {
    return { passed: true, result: { metric, comparator, threshold, candidateValue, productionVersion: null, productionValue: null, passed: true } };
  }

  const rivals: Array<{ version: number; value: number }> = [];
  for (const p of [...production].sort((a, b) => a.version - b.version)) {
    const value = valueOf(p.runId);
    if (value === undefined) {
      return fail(`Production version ${p.version} has no ${metric} to compare with`, { ...numbers, productionVersion: String(p.version), missing: 'productionValue' });
    }
    rivals.push({ version: p.version, value });
  }
  // The hardest rival: the highest value when the candidate must be greater, the lowest when it must be smaller.
  const higherIsBetter = comparator === 'GT' || comparator === 'GTE';
  const rival = rivals.reduce((best, r) => ((higherIsBetter ? r.value > best.value : r.value < best.value) ? r : best));
  if (!compare(comparator, candidateValue, rival.value)) {
    return fail(`${metric} ${candidateValue} is not ${comparator} Production version ${rival.version}'s ${rival.value}`, {
      ...numbers,
      productionVersion: String(rival.version),
      productionValue: String(rival.value),
    });
  }
  return { passed: true, result: { metric, comparator, threshold, candidateValue, productionVersion: rival.version, productionValue: rival.value, passed: true } };
}
