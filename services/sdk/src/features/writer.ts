import { randomUUID } from 'node:crypto';
import type { Message, Producer } from 'kafkajs';
import {
  MlstreamError,
  emptyFeatureCatalog,
  entityKeyString,
  foldDefinition,
  pickVersion,
  readTopic,
  valueProblems,
  type FeatureCatalog,
  type FeatureValuesLogged,
} from '@mlstream/kit';
import { createBatcher } from '../batching/index.ts';
import { kafkaSide, type KafkaSideOptions } from '../kafka/connect.ts';
import type { FeatureValuesItem } from './api.ts';

export interface FeatureWriterOptions extends KafkaSideOptions {
  /** Records per produce request; default 1000. */
  maxBatch?: number;
  /** Longest a record waits for its batch, in ms; default 50. */
  lingerMs?: number;
  onError?: (error: unknown, count: number) => void;
}

export interface FeatureWriter {
  /**
   * Validates against the view (unknown view, unknown feature, wrong type,
   * NaN → FEATURE_VIEW_NOT_FOUND / FEATURE_VALUES_INVALID naming the field),
   * encodes, and queues.
   */
  write(item: FeatureValuesItem): Promise<void>;
  /** Re-reads the definitions topic (after defining a view while the writer is open). */
  refresh(): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * For feature pipelines at volume: FeatureValuesLogged straight to Kafka
 * (idempotent producer, acks=all, batched), checked against the definitions
 * it reads from mlops.feature-definitions.v1 at start, the same checks the
 * gateway's POST /v1/features/values makes.
 */
export async function createFeatureWriter(options: FeatureWriterOptions = {}): Promise<FeatureWriter> {
  const { kafka, serde, catalog } = kafkaSide(options, 'mlstream/sdk');
  const topic = catalog.topic('features');
  let definitions: FeatureCatalog = emptyFeatureCatalog();
  const refresh = async () => {
    const next = emptyFeatureCatalog();
    for (const e of await readTopic(kafka, serde, catalog.topic('feature-definitions'))) if (e.type === 'EntityDefined' || e.type === 'FeatureViewDefined') foldDefinition(next, e);
    definitions = next;
  };
  await refresh();
  let producer: Promise<Producer> | undefined;
  const connected = () => {
    if (!producer) {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
      producer = p.connect().then(() => p);
      producer.catch(() => (producer = undefined));
    }
    return producer;
  };
  const batcher = createBatcher<Message>({
    send: async (messages) => {
      const session = connected();
      try {
        await (await session).send({ topic, acks: -1, messages });
      } catch (error) {
        if (producer === session) producer = undefined;
        void session.then((p) => p.disconnect()).catch(() => {});
        throw error;
      }
    },
    maxBatch: options.maxBatch ?? 1000,
    lingerMs: options.lingerMs ?? 50,
    maxQueued: 50_000,
    onError: (error, items) => options.onError?.(error, items.length),
  });
  return {
    async write(item) {
      const view = pickVersion(definitions.views.get(item.view), item.viewVersion);
      if (!view) throw new MlstreamError('FEATURE_VIEW_NOT_FOUND', `no feature view ${item.view}${item.viewVersion ? ` version ${item.viewVersion}` : ''} (defined after this writer started? call refresh())`, { details: { view: item.view } });
      const keyType = pickVersion(definitions.entities.get(view.entity))?.keyType ?? 'STRING';
      const problems = valueProblems(view, keyType, item);
      if (problems.length) throw new MlstreamError('FEATURE_VALUES_INVALID', problems.map((p) => `${p.field}: ${p.message}`).join('; '), { details: { problems } });
      const value: FeatureValuesLogged = {
        eventId: item.eventId ?? randomUUID(),
        occurredAt: item.occurredAt,
        view: view.name,
        viewVersion: view.version,
        entityKey: entityKeyString(item.entityKey),
        numericValues: item.numericValues ?? {},
        categoricalValues: item.categoricalValues ?? {},
      };
      const { message } = await serde.encode('FeatureValuesLogged', value);
      await batcher.add(message);
    },
    refresh,
    flush: () => batcher.flush(),
    async close() {
      await batcher.close();
      const p = producer;
      producer = undefined;
      if (p) await p.then((x) => x.disconnect()).catch(() => {});
    },
  };
}
