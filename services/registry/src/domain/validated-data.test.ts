import { describe, expect, it } from 'vitest';
import type { DatasetValidated } from '@mlstream/kit';
import { spec } from '@mlstream/kit/testing';
import { modelDecider } from './model.ts';
import { event, registered, transition } from './model.fixtures.ts';
import { createDataValidationFacts } from './validated-data.ts';

const validated = (datasetId: string, version: string, verdict: string, failed: string[] = []): DatasetValidated => ({
  eventId: 'e',
  occurredAt: 1,
  datasetId,
  version,
  ingestionEventId: 'i',
  ingestionPartition: 0,
  ingestionOffset: 0,
  suiteVersion: 1,
  referenceVersion: null,
  verdict,
  passed: verdict === 'passed',
  results: failed.map((name) => ({ name, kind: 'null_share_at_most', column: 'age', passed: false, evaluable: true, observedValue: 0.5, observedText: null, detail: 'null share 0.5 > 0.1' })),
  producerPassed: true,
  producerDisagrees: verdict === 'failed',
});

// run-1 trained on loans@v1 (passed), run-2 on loans@v2 (failed), run-3 on loans@v3 (never validated),
// run-4 logged no inputs, run-5 trained on loans@v1 and evaluated on loans@v2 (only training counts).
const facts = createDataValidationFacts();
const input = (datasetId: string, version: string, context = 'training') => ({ datasetId, version, context });
facts.addInputs({ eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'a', aggregateVersion: 2, runId: 'run-1', inputs: [input('loans', 'v1')] });
facts.addInputs({ eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'a', aggregateVersion: 2, runId: 'run-2', inputs: [input('loans', 'v2')] });
facts.addInputs({ eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'a', aggregateVersion: 2, runId: 'run-3', inputs: [input('loans', 'v3')] });
facts.addInputs({ eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'a', aggregateVersion: 2, runId: 'run-5', inputs: [input('loans', 'v1'), input('loans', 'v2', 'evaluation')] });
facts.addValidation(validated('loans', 'v1', 'passed'));
facts.addValidation(validated('loans', 'v2', 'failed', ['null_share_at_most(age, 0.1)']));
const registry = spec(modelDecider, { runMetrics: () => undefined, runInputs: facts.runInputs, datasetValidation: facts.datasetValidation });

const promoted = (version: number, dataValidation: object, reason = 'release') =>
  event('StageTransitioned', { version, fromStage: 'DEVELOPMENT', toStage: 'PRODUCTION', reason, gate: null, dataValidation } as never);
const gate = { requireValidatedData: true };

describe('the validatedData promotion gate', () => {
  it('lets a version trained on validated data through and records what it checked', () => {
    registry.given([registered(1)]).when(transition(1, 'PRODUCTION', gate)).then([promoted(1, { datasets: ['loans@v1'], failed: [], overridden: false, overrideReason: null })]);
  });

  it('refuses a version whose training dataset failed validation, naming the failed expectations', () => {
    const d = registry.given([registered(2)]).when(transition(2, 'PRODUCTION', gate)).thenRejects('GATE_FAILED', { gate: 'validatedData', failed: 'loans@v2', runId: 'run-2' });
    expect('rejection' in d && d.rejection.message).toBe(
      'version 2 was trained on data that did not pass validation: loans@v2 failed validation: null_share_at_most(age, 0.1); pass overrideReason to promote anyway',
    );
  });

  it('allows it with an override reason, recorded on the event', () => {
    registry
      .given([registered(2)])
      .when(transition(2, 'PRODUCTION', { ...gate, overrideReason: 'nulls backfilled upstream, ticket 42' }))
      .then([promoted(2, { datasets: ['loans@v2'], failed: ['loans@v2'], overridden: true, overrideReason: 'nulls backfilled upstream, ticket 42' })]);
  });

  it('refuses data never validated, a run without inputs and a version without a run', () => {
    registry.given([registered(3)]).when(transition(3, 'PRODUCTION', gate)).thenRejects('GATE_FAILED', { failed: 'loans@v3' });
    registry.given([registered(4)]).when(transition(4, 'PRODUCTION', gate)).thenRejects('GATE_FAILED', { missing: 'inputs' });
    registry.given([registered(6, null)]).when(transition(6, 'PRODUCTION', gate)).thenRejects('GATE_FAILED', { missing: 'run' });
  });

  it('counts only training inputs when the run marks some', () => {
    registry.given([registered(5)]).when(transition(5, 'PRODUCTION', gate)).then([promoted(5, { datasets: ['loans@v1'], failed: [], overridden: false, overrideReason: null })]);
  });

  it('refuses when the registry has no validation facts at all (the gate is never a silent pass)', () => {
    spec(modelDecider, { runMetrics: () => undefined }).given([registered(1)]).when(transition(1, 'PRODUCTION', gate)).thenRejects('GATE_FAILED', { missing: 'inputs' });
  });

  it('is refused where it would be ignored: on other stages, or an override without the gate', () => {
    registry.given([registered(1)]).when(transition(1, 'STAGING', gate)).thenRejects('INVALID_COMMAND', { field: 'requireValidatedData' });
    registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { overrideReason: 'x' })).thenRejects('INVALID_COMMAND', { field: 'overrideReason' });
  });
});
