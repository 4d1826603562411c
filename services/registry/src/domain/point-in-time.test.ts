import { describe, expect, it } from 'vitest';
import type { EventDraft } from '@mlstream/kit';
import { stamped } from '@mlstream/kit/testing';
import type { ModelEvent } from './model.ts';
import { registryAt, type RecordedEvent } from './point-in-time.ts';
import { archivedBy, event, moved, registered } from './model.fixtures.ts';

/** An event as read from partition `partition` at `offset`, by `actor`, at `time`. */
const recorded = (draft: EventDraft<ModelEvent>, offset: number, actor: string, time: number, partition = 0): RecordedEvent => {
  const e = stamped(draft, offset + 1);
  return { event: { ...e, value: { ...e.value, actor, occurredAt: time } } as RecordedEvent['event'], topic: 'mlops.registry.v1', partition, offset: String(offset), occurredAt: time };
};
const forModel = (model: string, draft: EventDraft<ModelEvent>) => ({ ...draft, value: { ...draft.value, model } }) as EventDraft<ModelEvent>;

// churn on partition 0: v1 launched by alice at 200, replaced by bob's v2 at 400; fraud on partition 1.
const log: RecordedEvent[] = [
  recorded(registered(1, 'r1', 'nightly'), 0, 'trainer', 100),
  recorded(moved(1, 'DEVELOPMENT', 'PRODUCTION', 'launch'), 1, 'alice', 200),
  recorded(event('AliasSet', { alias: 'champion', version: 1, previousVersion: null, reason: 'launch' }), 2, 'alice', 210),
  recorded(registered(2, 'r2'), 3, 'trainer', 300),
  recorded(moved(2, 'DEVELOPMENT', 'PRODUCTION', 'better auc'), 4, 'bob', 400),
  recorded(archivedBy(1, 2), 5, 'bob', 400),
  recorded(event('AliasDeleted', { alias: 'champion', version: 1, reason: null }), 6, 'bob', 500),
  recorded(forModel('fraud', registered(1, 'f1')), 0, 'trainer', 150, 1),
  recorded(forModel('fraud', moved(1, 'DEVELOPMENT', 'STAGING', 'review')), 1, 'carol', 450, 1),
];
const churn = (models: ReturnType<typeof registryAt>) => models.find((m) => m.model === 'churn');
const where = (partition: number, offset: number) => ({ topic: 'mlops.registry.v1', partition, offset: String(offset) });

describe('registryAt', () => {
  it('answers which version served in Production at time T, who put it there, when and why', () => {
    const before = churn(registryAt(log, { time: 350 }));
    expect(before?.versions).toEqual([
      { version: 1, stage: 'PRODUCTION', runId: 'r1', artifactUri: 's3://m/1', artifactSha256: null, registeredBy: 'trainer', registeredAt: 100, registeredReason: 'nightly', stageSetBy: 'alice', stageSetAt: 200, stageReason: 'launch', stageEvent: where(0, 1) },
      { version: 2, stage: 'DEVELOPMENT', runId: 'r2', artifactUri: 's3://m/2', artifactSha256: null, registeredBy: 'trainer', registeredAt: 300, registeredReason: null, stageSetBy: 'trainer', stageSetAt: 300, stageReason: null, stageEvent: where(0, 3) },
    ]);
    expect(before?.aliases).toEqual({ champion: { version: 1, setBy: 'alice', setAt: 210, reason: 'launch', event: where(0, 2) } });
  });

  it('shows the automatic archive and the alias deletion after them', () => {
    const after = churn(registryAt(log, { time: 1_000 }));
    expect(after?.versions.map((v) => [v.version, v.stage, v.stageSetBy, v.stageReason])).toEqual([
      [1, 'ARCHIVED', 'bob', 'archived because version 2 was promoted to PRODUCTION'],
      [2, 'PRODUCTION', 'bob', 'better auc'],
    ]);
    expect(after?.aliases).toEqual({});
  });

  it('includes events at exactly the cut time', () => {
    expect(churn(registryAt(log, { time: 200 }))?.versions[0]?.stage).toBe('PRODUCTION');
    expect(churn(registryAt(log, { time: 199 }))?.versions[0]?.stage).toBe('DEVELOPMENT');
  });

  it('is empty before the first event, and everything without a cut', () => {
    expect(registryAt(log, { time: 50 })).toEqual([]);
    expect(registryAt(log).map((m) => m.model)).toEqual(['churn', 'fraud']);
  });

  it('cuts one partition at an offset, inclusive, leaving other partitions whole', () => {
    const models = registryAt(log, { offset: { partition: 0, offset: '4' } });
    expect(churn(models)?.versions.map((v) => v.stage)).toEqual(['PRODUCTION', 'PRODUCTION']);
    expect(models.find((m) => m.model === 'fraud')?.versions[0]?.stage).toBe('STAGING');
  });

  it('applies a time and an offset together', () => {
    const models = registryAt(log, { time: 400, offset: { partition: 1, offset: '0' } });
    expect(churn(models)?.versions.map((v) => v.stage)).toEqual(['ARCHIVED', 'PRODUCTION']);
    expect(models.find((m) => m.model === 'fraud')?.versions[0]?.stage).toBe('DEVELOPMENT');
  });

  it('takes a prefix of the log: an event after the cut hides later ones even with earlier clocks', () => {
    // Event times come from clients; the skewed AliasSet at offset 3 follows a registration at 300.
    const skewed = [log[0]!, log[1]!, recorded(registered(2, 'r2'), 2, 'trainer', 300), recorded(event('AliasSet', { alias: 'champion', version: 2, previousVersion: null, reason: null }), 3, 'bob', 250)];
    const cut = churn(registryAt(skewed, { time: 260 }));
    expect(cut?.versions.map((v) => v.version)).toEqual([1]);
    expect(cut?.aliases).toEqual({});
  });

  it('reads events in log order even when given out of order, and uses the event time when no record time is given', () => {
    const shuffled = [...log].reverse().map(({ occurredAt: _dropped, ...rest }) => rest);
    expect(registryAt(shuffled, { time: 350 })).toEqual(registryAt(log, { time: 350 }));
  });
});
