import { randomUUID } from 'node:crypto';
import type { PredictionInput } from '../facts/index.ts';
import { kafkaSide, type KafkaSideOptions } from './connect.ts';
import { createTopicProducer, type TopicProducerOptions } from './topic-producer.ts';

export interface PredictionLoggerOptions extends KafkaSideOptions, TopicProducerOptions {}

export interface PredictionLogger {
  /** Validates and encodes now (a bad record throws SCHEMA_VIOLATION naming the field), then queues it. */
  log(prediction: PredictionInput): Promise<void>;
  /** Resolves when Kafka acknowledged (acks=all) everything logged so far. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * For model servers: writes PredictionLogged records straight to Kafka with
 * the services' serde, through an idempotent producer (acks=all), in batches.
 */
export function createPredictionLogger(options: PredictionLoggerOptions = {}): PredictionLogger {
  const { kafka, serde, catalog } = kafkaSide(options, 'mlstream/sdk');
  const topic = catalog.topic('predictions');
  const out = createTopicProducer(kafka, topic, options);
  return {
    async log(p) {
      const value = {
        requestId: p.requestId,
        model: p.model,
        version: p.version,
        numericFeatures: p.numericFeatures ?? {},
        categoricalFeatures: p.categoricalFeatures ?? {},
        prediction: p.prediction,
        probabilities: p.probabilities ?? null,
        latencyMs: p.latencyMs,
        error: p.error ?? null,
        eventId: p.eventId ?? randomUUID(),
        occurredAt: p.occurredAt ?? Date.now(),
      };
      const { message } = await serde.encode('PredictionLogged', value);
      await out.add(message);
    },
    flush: () => out.flush(),
    close: () => out.close(),
  };
}
