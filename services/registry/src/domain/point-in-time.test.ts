import { describe, expect, it } from 'vitest';
import { stamped } from '@mlstream/kit';
import type { ModelEvent } from './model.ts';
import { registryAt, type RecordedEvent } from './point-in-time.ts';

const at = (draft: Parameters<typeof stamped<ModelEvent>>[0], seq: number, actor: string, time: number): RecordedEvent => {
  const event = stamped<ModelEvent>(draft, seq);
  return { event: { ...event, value: { ...event.value, actor, occurredAt: time } } as RecordedEvent['event'], topic: 'mlops.registry.v1', partition: 0, offset: String(seq - 1) };
};

describe('registryAt', () => {
  const log: RecordedEvent[] = [
    at({ type: 'ModelVersionRegistered', value: { model: 'churn', version: 1, runId: 'r1', artifactUri: 's3://1', artifactSha256: null, signature: [], description: null, tags: {}, stage: 'DEVELOPMENT', reason: null } }, 1, 'trainer', 100),
    at({ type: 'StageTransitioned', value: { model: 'churn', version: 1, fromStage: 'DEVELOPMENT', toStage: 'PRODUCTION', reason: 'launch', gate: null } }, 2, 'alice', 200),
    at({ type: 'AliasSet', value: { model: 'churn', alias: 'champion', version: 1, previousVersion: null, reason: null } }, 3, 'alice', 210),
    at({ type: 'ModelVersionRegistered', value: { model: 'churn', version: 2, runId: 'r2', artifactUri: 's3://2', artifactSha256: null, signature: [], description: null, tags: {}, stage: 'DEVELOPMENT', reason: null } }, 4, 'trainer', 300),
    at({ type: 'StageTransitioned', value: { model: 'churn', version: 2, fromStage: 'DEVELOPMENT', toStage: 'PRODUCTION', reason: 'better auc', gate: null } }, 5, 'bob', 400),
    at({ type: 'StageTransitioned', value: { model: 'churn', version: 1, fromStage: 'PRODUCTION', toStage: 'ARCHIVED', reason: 'archived because version 2 was promoted to PRODUCTION', gate: null } }, 6, 'bob', 400),
    at({ type: 'AliasDeleted', value: { model: 'churn', alias: 'champion', version: 1, reason: null } }, 7, 'bob', 500),
  ];

  it('answers which version served in Production at time T, and who put it there', () => {
    const [before] = registryAt(log, { time: 350 });
    expect(before!.versions.map((v) => [v.version, v.stage, v.stageSetBy, v.stageReason])).toEqual([
      [1, 'PRODUCTION', 'alice', 'launch'],
      [2, 'DEVELOPMENT', 'trainer', null],
    ]);
    expect(before!.aliases).toEqual({ champion: { version: 1, setBy: 'alice', setAt: 210, reason: null } });
    const [after] = registryAt(log, { time: 1_000 });
    expect(after!.versions.find((v) => v.stage === 'PRODUCTION')).toMatchObject({ version: 2, stageSetBy: 'bob', stageEvent: { offset: '4' } });
    expect(after!.aliases).toEqual({});
  });

  it('cuts at an offset too', () => {
    const [cut] = registryAt(log, { offset: { partition: 0, offset: '1' } });
    expect(cut!.versions).toHaveLength(1);
    expect(cut!.versions[0]!.stage).toBe('PRODUCTION');
  });
});
