import type { Kafka } from 'kafkajs';
import { createTopicFollower, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { appendVersion, onlineKey, servedAt, type AsOf, type OnlineEntry, type ServedVersion } from '../domain/index.ts';
import { entryOf } from './changelog.ts';

export interface OnlineViewOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  /** This follower's own consumer group (never committed, deleted on stop). */
  groupId: string;
  /** Versions kept per entity for skew checks ("what did the store serve at T?"); default 8. */
  historyPerEntity?: number;
  /** Wall clock (ms); tests pass their own. */
  now?: () => number;
}

export interface ViewFreshness {
  view: string;
  entities: number;
  /** Latest event time of any value of the view (epoch ms). */
  latestEventTime: number;
  /** For the last change applied: when it became servable (changelog timestamp) minus its event time, ms. */
  lastApplyLagMs: number;
}

/**
 * The served online view: every partition of the compacted changelog
 * mlops.feature-online.v1, read from its beginning (committed records only),
 * so every instance serves every entity and serves only what the exactly-once
 * processor committed. Keeps a short served history per entity for skew checks.
 * `start` returns once the changelog has been read to its end: the view is
 * then exactly the committed state, and the service may answer.
 */
export function createOnlineView(options: OnlineViewOptions) {
  const { serde, catalog } = options;
  const keep = options.historyPerEntity ?? 8;
  if (!Number.isInteger(keep) || keep < 1) throw new TypeError(`createOnlineView: historyPerEntity must be a positive integer, got ${keep}`);
  const now = options.now ?? Date.now;
  const topic = catalog.topic('feature-online');
  const history = new Map<string, ServedVersion[]>();
  const latest = new Map<string, OnlineEntry>();
  const views = new Map<string, ViewFreshness>();
  let restored = false;

  const apply = (entry: OnlineEntry, servedFrom: number) => {
    const key = onlineKey(entry.view, entry.entityKey);
    const versions = history.get(key) ?? [];
    const isNew = !versions.length;
    history.set(key, appendVersion(versions, { servedFrom, entry }, keep));
    latest.set(key, versions[versions.length - 1]!.entry);
    const f = views.get(entry.view) ?? { view: entry.view, entities: 0, latestEventTime: Number.NEGATIVE_INFINITY, lastApplyLagMs: 0 };
    if (isNew) f.entities += 1;
    f.latestEventTime = Math.max(f.latestEventTime, entry.eventTime);
    f.lastApplyLagMs = Math.max(0, servedFrom - entry.eventTime);
    views.set(entry.view, f);
  };

  const follower = createTopicFollower({
    kafka: options.kafka,
    topics: [topic],
    groupId: options.groupId,
    onBatch: async (batch) => {
      for (const message of batch.messages) {
        const decoded = await serde.decode({ topic: batch.topic, partition: batch.partition, message });
        if (decoded.type === 'OnlineFeaturesUpdated') apply(entryOf(decoded.value), Number(message.timestamp));
      }
    },
  });

  return {
    /** The latest committed entry of an entity. */
    get: (view: string, entityKey: string): OnlineEntry | undefined => latest.get(onlineKey(view, entityKey)),
    /** What the store served for an entity at time `at` (epoch ms). */
    servedAt: (view: string, entityKey: string, at: number): AsOf => servedAt(history.get(onlineKey(view, entityKey)), at),
    freshness: (): ViewFreshness[] => [...views.values()],
    now,
    ready: () => restored,
    /** Resolves once every changelog record committed before the call is applied. */
    catchUp: (timeoutMs = 30_000) => follower.catchUp(timeoutMs),
    status: () => ({ entries: latest.size, restored, views: [...views.values()] }),
    async start() {
      await follower.start();
      const started = Date.now();
      await follower.catchUp(300_000);
      restored = true;
      options.logger.info({ entries: latest.size, ms: Date.now() - started }, 'features.view_restored');
    },
    stop: () => follower.stop(),
  };
}

export type OnlineView = ReturnType<typeof createOnlineView>;
