import type { Envelope, Stage } from '@mlstream/kit';
import type { ModelEvent } from './model.ts';

/** Where a fact sits in Kafka. */
export interface Coordinates {
  topic: string;
  partition: number;
  offset: string;
}

/** A registry event as read from its topic. */
export interface RecordedEvent extends Coordinates {
  event: Envelope<ModelEvent>;
  /** When the event was recorded (epoch ms); defaults to the event's own `occurredAt`. */
  occurredAt?: number;
}

export interface VersionAsOf {
  version: number;
  stage: Stage;
  runId: string | null;
  artifactUri: string;
  artifactSha256: string | null;
  registeredBy: string;
  registeredAt: number;
  registeredReason: string | null;
  /** Who put it in its current stage, when, why, and where that fact is in Kafka. */
  stageSetBy: string;
  stageSetAt: number;
  stageReason: string | null;
  stageEvent: Coordinates;
}

export interface AliasAsOf {
  version: number;
  setBy: string;
  setAt: number;
  reason: string | null;
  event: Coordinates;
}

export interface ModelAsOf {
  model: string;
  /** Lowest version first. */
  versions: VersionAsOf[];
  aliases: Record<string, AliasAsOf>;
}

export interface RegistryCut {
  /** Fold each partition up to its last event recorded at or before this time (epoch ms). */
  time?: number;
  /** Fold this partition up to and including this offset; other partitions are not cut by it. */
  offset?: { partition: number; offset: string };
}

type Located = RecordedEvent & { time: number; position: bigint };

/**
 * Log order per partition: a model's events live on one partition, so this is
 * each model's history in the order its processor decided it.
 */
const inLogOrder = (events: RecordedEvent[]): Located[] =>
  events
    .map((e) => ({ ...e, time: e.occurredAt ?? e.event.value.occurredAt, position: BigInt(e.offset) }))
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));

/**
 * The registry as it was at a time or offset: per model, each version's
 * stage, run and artifact, who put it in that stage, when and why, and which
 * alias pointed where. Pure; the audit CLI feeds it `mlops.registry.v1`.
 *
 * The cut takes a prefix of each partition: it stops at the first event past
 * the time (or offset), even if a later event carries an earlier time. Event
 * times come from commands, so they need not grow along the log; a prefix is
 * always a state the registry really had, a per-event filter might not be.
 */
export function registryAt(events: RecordedEvent[], at: RegistryCut = {}): ModelAsOf[] {
  const models = new Map<string, ModelAsOf>();
  const stopped = new Set<string>();
  for (const recorded of inLogOrder(events)) {
    const partitionKey = `${recorded.topic}/${recorded.partition}`;
    if (stopped.has(partitionKey)) continue;
    const pastOffset = at.offset !== undefined && recorded.partition === at.offset.partition && recorded.position > BigInt(at.offset.offset);
    if ((at.time !== undefined && recorded.time > at.time) || pastOffset) {
      stopped.add(partitionKey);
      continue;
    }
    const { event, time } = recorded;
    const where: Coordinates = { topic: recorded.topic, partition: recorded.partition, offset: recorded.offset };
    const model = models.get(event.value.model) ?? { model: event.value.model, versions: [], aliases: {} };
    models.set(model.model, model);
    const actor = event.value.actor;
    switch (event.type) {
      case 'ModelVersionRegistered': {
        const e = event.value;
        const reason = e.reason ?? null;
        model.versions.push({
          version: e.version,
          stage: e.stage,
          runId: e.runId ?? null,
          artifactUri: e.artifactUri,
          artifactSha256: e.artifactSha256 ?? null,
          registeredBy: actor,
          registeredAt: time,
          registeredReason: reason,
          stageSetBy: actor,
          stageSetAt: time,
          stageReason: reason,
          stageEvent: where,
        });
        break;
      }
      case 'StageTransitioned': {
        const target = model.versions.find((x) => x.version === event.value.version);
        if (target) Object.assign(target, { stage: event.value.toStage, stageSetBy: actor, stageSetAt: time, stageReason: event.value.reason ?? null, stageEvent: where });
        break;
      }
      case 'AliasSet':
        model.aliases[event.value.alias] = { version: event.value.version, setBy: actor, setAt: time, reason: event.value.reason ?? null, event: where };
        break;
      case 'AliasDeleted':
        delete model.aliases[event.value.alias];
        break;
      case 'ModelVersionDeleted':
        model.versions = model.versions.filter((x) => x.version !== event.value.version);
        break;
      case 'RegisteredModelDeleted':
        model.versions = [];
        model.aliases = {};
        break;
      // Descriptions and tags are not part of "which version served, who put it there".
      case 'RegisteredModelCreated':
      case 'RegisteredModelUpdated':
      case 'ModelTagsSet':
      case 'ModelVersionUpdated':
        break;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }
  for (const model of models.values()) model.versions.sort((a, b) => a.version - b.version);
  return [...models.values()].sort((a, b) => a.model.localeCompare(b.model));
}
