import { describe, it } from 'vitest';
import type { PromotionGate } from '@mlstream/kit';
import { spec } from '@mlstream/kit/testing';
import { modelDecider } from './model.ts';
import type { GateContext } from './gate.ts';
import { archivedBy, moved, registered, transition } from './model.fixtures.ts';

// Final metrics per run, as the registry processor would know them from mlops.runs.v1.
const metrics: Record<string, Record<string, number>> = {
  'run-1': { auc: 0.8, loss: 0.3 },
  'run-2': { auc: 0.85, loss: 0.2 },
  'run-3': { auc: 0.75, loss: 0.4 },
  'run-4': { loss: 0.1 },
};
const context: GateContext = { runMetrics: (runId) => metrics[runId] };
const registry = spec(modelDecider, context);

const gate = (g: Partial<PromotionGate>): PromotionGate => ({ metric: 'auc', comparator: 'GT', threshold: null, beatProduction: false, ...g });
const result = (r: { comparator: string; threshold?: number | null; candidateValue: number; productionVersion?: number | null; productionValue?: number | null; metric?: string }) => ({
  metric: 'auc',
  threshold: null,
  productionVersion: null,
  productionValue: null,
  ...r,
  passed: true,
});

// v1 serves in Production; v2 (auc 0.85) and v3 (auc 0.75) are candidates; v4's run has no auc; v5 has no run.
const history = [registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION'), registered(2), registered(3), registered(4), registered(5, null)];

describe('promotion gates', () => {
  describe('threshold', () => {
    it('passes and records the evaluation on the promotion event', () => {
      const g = gate({ comparator: 'GTE', threshold: 0.8 });
      registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { gate: g })).then([moved(1, 'DEVELOPMENT', 'PRODUCTION', 'release', result({ comparator: 'GTE', threshold: 0.8, candidateValue: 0.8 }))]);
    });
    it('rejects a failing value with the numbers: GATE_FAILED', () => {
      registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { gate: gate({ threshold: 0.8 }) })).thenRejects('GATE_FAILED', { metric: 'auc', comparator: 'GT', candidateValue: '0.8', threshold: '0.8' });
    });
    it('supports lower-is-better metrics with LT and LTE', () => {
      const g = gate({ metric: 'loss', comparator: 'LT', threshold: 0.25 });
      registry.given(history).when(transition(2, 'PRODUCTION', { gate: g })).then([
        moved(2, 'DEVELOPMENT', 'PRODUCTION', 'release', result({ metric: 'loss', comparator: 'LT', threshold: 0.25, candidateValue: 0.2 })),
        archivedBy(1, 2),
      ]);
      registry.given(history).when(transition(3, 'PRODUCTION', { gate: gate({ metric: 'loss', comparator: 'LTE', threshold: 0.39 }) })).thenRejects('GATE_FAILED', { candidateValue: '0.4', threshold: '0.39' });
    });
  });

  describe('beatProduction', () => {
    const beat = gate({ beatProduction: true });
    it('passes when the candidate beats the current Production version, recording both values', () => {
      registry.given(history).when(transition(2, 'PRODUCTION', { gate: beat })).then([
        moved(2, 'DEVELOPMENT', 'PRODUCTION', 'release', result({ comparator: 'GT', candidateValue: 0.85, productionVersion: 1, productionValue: 0.8 })),
        archivedBy(1, 2),
      ]);
    });
    it('rejects a candidate that does not beat it, naming the Production version and both values: GATE_FAILED', () => {
      registry.given(history).when(transition(3, 'PRODUCTION', { gate: beat })).thenRejects('GATE_FAILED', { metric: 'auc', comparator: 'GT', candidateValue: '0.75', productionVersion: '1', productionValue: '0.8' });
    });
    it('must beat every Production version when several serve, and records the hardest one', () => {
      const two = [registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION'), registered(2), moved(2, 'DEVELOPMENT', 'PRODUCTION'), registered(3)];
      registry.given(two).when(transition(3, 'PRODUCTION', { gate: gate({ comparator: 'GTE', beatProduction: true }) })).thenRejects('GATE_FAILED', { productionVersion: '2', productionValue: '0.85' });
      registry.given(two).when(transition(3, 'PRODUCTION', { gate: gate({ metric: 'loss', comparator: 'LT', beatProduction: true }) })).thenRejects('GATE_FAILED', { productionVersion: '2', productionValue: '0.2' });
    });
    it('passes when nothing is in Production, with no production numbers', () => {
      registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { gate: beat })).then([moved(1, 'DEVELOPMENT', 'PRODUCTION', 'release', result({ comparator: 'GT', candidateValue: 0.8 }))]);
    });
    it('applies a threshold as well when both are given', () => {
      const both = gate({ threshold: 0.9, beatProduction: true });
      registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { gate: both })).thenRejects('GATE_FAILED', { threshold: '0.9', candidateValue: '0.8' });
      registry.given(history).when(transition(2, 'PRODUCTION', { gate: gate({ threshold: 0.82, beatProduction: true }) })).then([
        moved(2, 'DEVELOPMENT', 'PRODUCTION', 'release', result({ comparator: 'GT', threshold: 0.82, candidateValue: 0.85, productionVersion: 1, productionValue: 0.8 })),
        archivedBy(1, 2),
      ]);
    });
    it('rejects when the Production version has no such metric: GATE_FAILED', () => {
      const v4InProduction = [registered(1), registered(2), registered(3), registered(4), moved(4, 'DEVELOPMENT', 'PRODUCTION')];
      registry.given(v4InProduction).when(transition(2, 'PRODUCTION', { gate: beat })).thenRejects('GATE_FAILED', { productionVersion: '4', missing: 'productionValue' });
    });
  });

  describe('a missing metric fails the gate and says whose', () => {
    const g = gate({ threshold: 0.5 });
    it('the candidate run has no such metric', () => {
      registry.given(history).when(transition(4, 'PRODUCTION', { gate: g })).thenRejects('GATE_FAILED', { runId: 'run-4', candidateVersion: '4', missing: 'candidateValue' });
    });
    it('the registry knows no metrics of the candidate run', () => {
      registry.given([registered(9)]).when(transition(9, 'PRODUCTION', { gate: g })).thenRejects('GATE_FAILED', { runId: 'run-9', missing: 'candidateValue' });
    });
    it('the candidate version has no run', () => {
      registry.given(history).when(transition(5, 'PRODUCTION', { gate: g })).thenRejects('GATE_FAILED', { candidateVersion: '5', missing: 'candidateValue' });
    });
  });

  describe('a gate that cannot be evaluated is malformed: INVALID_COMMAND', () => {
    it('on a transition to another stage than PRODUCTION', () => {
      registry.given([registered(1)]).when(transition(1, 'STAGING', { gate: gate({ threshold: 0.1 }) })).thenRejects('INVALID_COMMAND', { field: 'gate', to: 'STAGING' });
    });
    it('with neither threshold nor beatProduction, a non-finite threshold, or no metric', () => {
      for (const g of [gate({}), gate({ threshold: Number.NaN }), gate({ metric: '', threshold: 0.1 })]) {
        registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { gate: g })).thenRejects('INVALID_COMMAND', { field: 'gate' });
      }
    });
    it('but the transition table is checked first', () => {
      registry.given([registered(1), moved(1, 'DEVELOPMENT', 'ARCHIVED')]).when(transition(1, 'PRODUCTION', { gate: gate({}) })).thenRejects('INVALID_TRANSITION');
    });
  });
});
