import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Counter } from 'prom-client';
import { createExactlyOnceLoop, decodeOrDeadLetter, type FeatureSkewMeasured, type Logger, type ResolvedCatalog, type Serde, type ServiceMetrics, type TransactionalState } from '@mlstream/kit';
import { compareServed, entitiesOf, isSkewed, type FeatureSkew } from '../domain/index.ts';
import type { DefinitionsFollower } from './definitions.ts';
import type { OnlineView } from './online-view.ts';

export interface SkewProcessorOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  groupId: string;
  view: OnlineView;
  definitions: DefinitionsFollower;
  metrics?: ServiceMetrics;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
}

/** The skew processor keeps no state of its own (the online view is its input), only counts that reach /metrics when their transaction commits. */
interface SkewPartition extends TransactionalState {
  count(events: FeatureSkewMeasured[]): void;
}

const featureOf = (f: FeatureSkew): FeatureSkewMeasured['features'][number] => ({
  feature: f.feature,
  status: f.status,
  servedNumeric: typeof f.served === 'number' ? f.served : null,
  servedCategorical: typeof f.served === 'string' ? f.served : null,
  onlineNumeric: typeof f.online === 'number' ? f.online : null,
  onlineCategorical: typeof f.online === 'string' ? f.online : null,
  onlineEventTime: f.onlineEventTime,
});

/**
 * Predictions in, FeatureSkewMeasured out, exactly once (outputs and
 * consumed offsets in one transaction). A prediction that names an entity
 * (`__entity.<view>` = key) is compared with what the online store served
 * for that entity at the prediction's occurredAt. Before a chunk is compared
 * the online view catches up with the changelog: a value a model server read
 * was committed before the prediction that used it was logged.
 */
export function createSkewProcessor(options: SkewProcessorOptions) {
  const { kafka, serde, catalog, groupId, metrics, view, definitions } = options;
  const log = options.logger.child({ group: groupId });
  const registers = metrics ? [metrics.prometheus] : [];
  const compared = new Counter({ name: 'mlstream_feature_skew_checks_total', help: 'Features of predictions compared with the online store, by status', labelNames: ['view', 'feature', 'status'], registers });

  const skewPartition = (): SkewPartition => {
    let staged: FeatureSkewMeasured[] = [];
    return {
      count: (events) => void staged.push(...events),
      commit() {
        for (const e of staged) for (const f of e.features) compared.inc({ view: e.view, feature: f.feature, status: f.status });
        staged = [];
      },
      rollback() {
        staged = [];
      },
    };
  };

  const loop = createExactlyOnceLoop<SkewPartition>({
    kafka,
    logger: log,
    groupId,
    topics: [catalog.topic('predictions')],
    consumer: { sessionTimeoutMs: options.sessionTimeoutMs, rebalanceTimeoutMs: options.rebalanceTimeoutMs },
    metrics,
    restore: async (partitions) => new Map(partitions.map((p) => [p, skewPartition()])),
    async process({ topic, partition, messages, state }) {
      const out: FeatureSkewMeasured[] = [];
      let caughtUp = false;
      for (const message of messages) {
        // Undecodable predictions are the drift detector's to dead-letter; here they are only skipped.
        const decoded = await decodeOrDeadLetter(serde, { topic, partition, message });
        if (decoded.deadLetter || decoded.event.type !== 'PredictionLogged') continue;
        const p = decoded.event.value;
        const entities = entitiesOf(p);
        if (!entities.length) continue;
        if (!caughtUp) {
          await Promise.all([view.catchUp(), definitions.catchUp()]);
          caughtUp = true;
        }
        for (const { view: name, entityKey } of entities) {
          const definition = definitions.get(name);
          const features = compareServed(p, view.servedAt(name, entityKey, p.occurredAt), { declared: definition?.features, ttlMs: definition?.ttlMs });
          if (!features.length) continue;
          out.push({
            eventId: randomUUID(),
            occurredAt: p.occurredAt,
            view: name,
            entityKey,
            model: p.model,
            version: p.version,
            requestId: p.requestId,
            predictionEventId: p.eventId,
            skewed: features.filter((f) => isSkewed(f.status)).length,
            features: features.map(featureOf),
          });
        }
      }
      const encoded = await Promise.all(out.map((e) => serde.encode('FeatureSkewMeasured', e, { causationId: e.predictionEventId })));
      state.count(out);
      return [{ topic: catalog.topic('feature-skew'), messages: encoded.map((e) => e.message) }];
    },
  });

  return {
    ready: () => loop.ready(),
    status: () => loop.owned().map(({ partition }) => partition),
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
