import { describe, expect, it } from 'vitest';
import { readSchemaFiles, type Envelope } from '@mlstream/kit';
import { spec } from '@mlstream/kit/testing';
import { modelDecider, type ModelCommand } from './model.ts';
import type { GateContext } from './gate.ts';
import { archivedBy, moved, registered, transition } from './model.fixtures.ts';

const registry = spec(modelDecider, { runMetrics: () => undefined } satisfies GateContext);

/** A TransitionStage as an older writer (or a client) sends it: without archivePrevious and gate. */
const bareTransition = (version: number, toStage: 'PRODUCTION' | 'STAGING') => {
  const { archivePrevious: _a, gate: _g, ...value } = transition(version, toStage).value as Envelope<'TransitionStage'>['value'];
  return { type: 'TransitionStage', value } as unknown as Envelope<ModelCommand>;
};

// The shared fixtures always pass archivePrevious; the default is what a
// command without it gets (the Avro schema's default is true as well).
describe('TransitionStage defaults', () => {
  const v1InProduction = [registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION'), registered(2), moved(2, 'DEVELOPMENT', 'STAGING')];

  it('archives the previous Production version when archivePrevious is absent', () => {
    registry.given(v1InProduction).when(bareTransition(2, 'PRODUCTION')).then([moved(2, 'STAGING', 'PRODUCTION', 'release'), archivedBy(1, 2)]);
  });

  it('archives nothing on a move to another stage when archivePrevious is absent', () => {
    registry.given([registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION'), registered(2)]).when(bareTransition(2, 'STAGING')).then([moved(2, 'DEVELOPMENT', 'STAGING', 'release')]);
  });

  it('the Avro schema gives a command without the field the same default', () => {
    const schema = readSchemaFiles().find((f) => f.name === 'TransitionStage')!.schema as { fields: Array<{ name: string; default?: unknown }> };
    expect(schema.fields.find((f) => f.name === 'archivePrevious')?.default).toBe(true);
  });
});
