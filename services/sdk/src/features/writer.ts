import { randomUUID } from 'node:crypto';
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
import { kafkaSide, type KafkaSideOptions } from '../kafka/connect.ts';
import { createTopicProducer, type TopicProducerOptions } from '../kafka/topic-producer.ts';
import type { FeatureValuesItem } from './api.ts';

export interface FeatureWriterOptions extends KafkaSideOptions, TopicProducerOptions {}

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
  const out = createTopicProducer(kafka, topic, options);
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
      await out.add(message);
    },
    refresh,
    flush: () => out.flush(),
    close: () => out.close(),
  };
}
