import type { Envelope, Stage } from '@mlstream/kit';
import type { ModelEvent } from './model.ts';

export interface RecordedEvent {
  event: Envelope<ModelEvent>;
  topic: string;
  partition: number;
  offset: string;
}

export interface VersionAsOf {
  version: number;
  stage: Stage;
  runId: string | null;
  artifactUri: string;
  registeredBy: string;
  registeredAt: number;
  /** Who put it in its current stage, when, why, and where that fact is in Kafka. */
  stageSetBy: string;
  stageSetAt: number;
  stageReason: string | null;
  stageEvent: { topic: string; partition: number; offset: string };
}

export interface ModelAsOf {
  model: string;
  versions: VersionAsOf[];
  aliases: Record<string, { version: number; setBy: string; setAt: number; reason: string | null }>;
}

export interface RegistryCut {
  /** Include events that occurred at or before this time (epoch ms). */
  time?: number;
  /** Include events at or before this offset of this partition (others: all). */
  offset?: { partition: number; offset: string };
}

const included = (e: RecordedEvent, at: RegistryCut): boolean => {
  if (at.time !== undefined && e.event.value.occurredAt > at.time) return false;
  if (at.offset && e.partition === at.offset.partition && BigInt(e.offset) > BigInt(at.offset.offset)) return false;
  return true;
};

/**
 * The registry as it was at a time or offset: which version was in which
 * stage, who put it there and why, and which alias pointed where. Events
 * must be given in log order per partition (as a consumer reads them).
 */
export function registryAt(events: RecordedEvent[], at: RegistryCut = {}): ModelAsOf[] {
  const models = new Map<string, ModelAsOf>();
  for (const recorded of events) {
    if (!included(recorded, at)) continue;
    const { event } = recorded;
    const where = { topic: recorded.topic, partition: recorded.partition, offset: recorded.offset };
    const model = models.get(event.value.model) ?? { model: event.value.model, versions: [], aliases: {} };
    models.set(model.model, model);
    const v = event.value;
    switch (event.type) {
      case 'ModelVersionRegistered': {
        const e = event.value;
        model.versions.push({
          version: e.version,
          stage: e.stage,
          runId: e.runId ?? null,
          artifactUri: e.artifactUri,
          registeredBy: e.actor,
          registeredAt: e.occurredAt,
          stageSetBy: e.actor,
          stageSetAt: e.occurredAt,
          stageReason: e.reason ?? null,
          stageEvent: where,
        });
        break;
      }
      case 'StageTransitioned': {
        const target = model.versions.find((x) => x.version === event.value.version);
        if (target) Object.assign(target, { stage: event.value.toStage, stageSetBy: v.actor, stageSetAt: v.occurredAt, stageReason: event.value.reason ?? null, stageEvent: where });
        break;
      }
      case 'AliasSet':
        model.aliases[event.value.alias] = { version: event.value.version, setBy: v.actor, setAt: v.occurredAt, reason: event.value.reason ?? null };
        break;
      case 'AliasDeleted':
        delete model.aliases[event.value.alias];
        break;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }
  return [...models.values()].sort((a, b) => a.model.localeCompare(b.model));
}
