import { randomUUID } from 'node:crypto';
import type { Message, Producer } from 'kafkajs';
import { createBatcher } from '../batching/index.ts';
import type { PredictionInput } from '../facts/index.ts';
import { kafkaSide, type KafkaSideOptions } from './connect.ts';

export interface PredictionLoggerOptions extends KafkaSideOptions {
  /** Records per produce request; default 1000. */
  maxBatch?: number;
  /** Longest a record waits for its batch, in ms; default 50. */
  lingerMs?: number;
  /** Records buffered before `log` waits (backpressure); default 50 000. */
  maxQueued?: number;
  onError?: (error: unknown, count: number) => void;
}

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
        // A new idempotent session for the next batch: sequence numbers never outlive a failure.
        if (producer === session) producer = undefined;
        void session.then((p) => p.disconnect()).catch(() => {});
        throw error;
      }
    },
    maxBatch: options.maxBatch ?? 1000,
    lingerMs: options.lingerMs ?? 50,
    maxQueued: options.maxQueued ?? 50_000,
    onError: (error, items) => options.onError?.(error, items.length),
  });
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
      await batcher.add(message);
    },
    flush: () => batcher.flush(),
    async close() {
      await batcher.close();
      const p = producer;
      producer = undefined;
      if (p) await p.then((x) => x.disconnect()).catch(() => {});
    },
  };
}
