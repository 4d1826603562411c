// Builders shared by the registry specs (not exported from the domain index).
import type { Envelope, EventDraft, RecordTypes, Stage } from '@mlstream/kit';
import type { ModelCommand, ModelEvent } from './model.ts';

type Stamped = 'eventId' | 'occurredAt' | 'commandId' | 'actor' | 'aggregateVersion' | 'model';
const commandFields = { eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'ci', expectedVersion: null, model: 'churn' };

export const command = <K extends ModelCommand>(type: K, value: Omit<RecordTypes[K], keyof typeof commandFields>): Envelope<ModelCommand> =>
  ({ type, value: { ...commandFields, ...value } }) as unknown as Envelope<ModelCommand>;

export const event = <K extends ModelEvent>(type: K, value: Omit<RecordTypes[K], Stamped>): EventDraft<ModelEvent> =>
  ({ type, value: { model: 'churn', ...value } }) as unknown as EventDraft<ModelEvent>;

export const registered = (version: number, runId: string | null = `run-${version}`, reason: string | null = null) =>
  event('ModelVersionRegistered', { version, runId, artifactUri: `s3://m/${version}`, artifactSha256: null, signature: [], description: null, tags: {}, stage: 'DEVELOPMENT', reason });

export const moved = (version: number, fromStage: Stage, toStage: Stage, reason: string | null = null, gate: RecordTypes['StageTransitioned']['gate'] = null, dataValidation: RecordTypes['StageTransitioned']['dataValidation'] = null) =>
  event('StageTransitioned', { version, fromStage, toStage, reason, gate, dataValidation });

export const archivedBy = (version: number, promoted: number) => moved(version, 'PRODUCTION', 'ARCHIVED', `archived because version ${promoted} was promoted to PRODUCTION`);

export const transition = (version: number, toStage: Stage, extra: Partial<RecordTypes['TransitionStage']> = {}) =>
  command('TransitionStage', { version, toStage, archivePrevious: true, gate: null, reason: 'release', ...extra });
