import type { DataValidationGateResult, DatasetInput, DatasetValidated, InputsLogged, Rejection } from '@mlstream/kit';
import type { GateSubject } from './gate.ts';

/** A dataset version's latest platform verdict (DatasetValidated), as the registry knows it. */
export interface KnownValidation {
  verdict: string;
  /** Names of the expectations that failed. */
  failed: string[];
}

/** Facts from other streams the validatedData gate reads. */
export interface DataValidationContext {
  /** Dataset inputs a run logged (InputsLogged, accumulated), or undefined if it logged none the registry has read. */
  runInputs(runId: string): DatasetInput[] | undefined;
  /** The latest DatasetValidated of a dataset version, or undefined if none was read. */
  datasetValidation(datasetId: string, version: string): KnownValidation | undefined;
}

/**
 * Folds InputsLogged (runs topic) and DatasetValidated (validation topic) into
 * what the gate asks. Pure; the registry's follower and `mlstream audit` feed it.
 */
export function createDataValidationFacts() {
  const inputs = new Map<string, DatasetInput[]>();
  const validations = new Map<string, KnownValidation>();
  const facts: DataValidationContext & { addInputs(e: InputsLogged): void; addValidation(e: DatasetValidated): void } = {
    addInputs(e) {
      const list = inputs.get(e.runId) ?? [];
      for (const i of e.inputs) if (!list.some((x) => x.datasetId === i.datasetId && x.version === i.version && x.context === i.context)) list.push(i);
      inputs.set(e.runId, list);
    },
    addValidation(e) {
      validations.set(`${e.datasetId}@${e.version}`, { verdict: e.verdict, failed: e.results.filter((r) => r.evaluable && !r.passed).map((r) => r.name) });
    },
    runInputs: (runId) => inputs.get(runId),
    datasetValidation: (datasetId, version) => validations.get(`${datasetId}@${version}`),
  };
  return facts;
}

export type GateCheck = { passed: true; result: DataValidationGateResult } | { passed: false; rejection: Rejection };

/**
 * The validatedData gate: a version whose training data (version → run →
 * input datasets with context `training`, or every input when none is marked
 * so) failed the platform's validation, or was never validated, cannot reach
 * Production, unless the transition carries an override reason; the override
 * and what it let through are recorded on StageTransitioned.dataValidation.
 * A dataset validated as passed, incomplete (nothing failed) or without a
 * suite (no_suite) passes.
 */
export function evaluateValidatedDataGate(candidate: GateSubject, context: Partial<DataValidationContext>, overrideReason: string | null): GateCheck {
  const override = overrideReason?.trim() ? overrideReason : null;
  const refuse = (message: string, details: Record<string, string>): GateCheck => ({
    passed: false,
    rejection: { code: 'GATE_FAILED', message: `${message}; pass overrideReason to promote anyway`, details: { gate: 'validatedData', candidateVersion: String(candidate.version), ...details } },
  });
  const allowed = (datasets: string[], failed: string[]): GateCheck => ({ passed: true, result: { datasets, failed, overridden: failed.length > 0, overrideReason: failed.length > 0 ? override : null } });

  if (candidate.runId === null) {
    return override ? allowed([], ['(no run)']) : refuse(`version ${candidate.version} has no run, so its training data is unknown`, { missing: 'run' });
  }
  const inputs = context.runInputs?.(candidate.runId) ?? [];
  const training = inputs.some((i) => i.context === 'training') ? inputs.filter((i) => i.context === 'training') : inputs;
  if (!training.length) {
    return override ? allowed([], ['(no inputs)']) : refuse(`run ${candidate.runId} logged no dataset inputs, so its training data is unknown`, { runId: candidate.runId, missing: 'inputs' });
  }
  const datasets = [...new Set(training.map((i) => `${i.datasetId}@${i.version}`))].sort();
  const problems: string[] = [];
  const reasons: string[] = [];
  for (const ref of datasets) {
    const at = ref.lastIndexOf('@');
    const known = context.datasetValidation?.(ref.slice(0, at), ref.slice(at + 1));
    if (!known) {
      problems.push(ref);
      reasons.push(`${ref} has no platform validation (not ingested, or not validated yet)`);
    } else if (known.verdict === 'failed') {
      problems.push(ref);
      reasons.push(`${ref} failed validation: ${known.failed.join(', ') || 'see DatasetValidated'}`);
    }
  }
  if (problems.length && !override) return refuse(`version ${candidate.version} was trained on data that did not pass validation: ${reasons.join('; ')}`, { runId: candidate.runId, failed: problems.join(',') });
  return allowed(datasets, problems);
}
