import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetrics {
  prometheus: Registry;
  messagesConsumed: Counter<'topic'>;
  messagesProduced: Counter<'topic'>;
  handlerErrors: Counter<'topic' | 'code'>;
  deadLetters: Counter<'topic' | 'code'>;
  batchDuration: Histogram<'topic'>;
  consumerLag: Gauge<'topic' | 'partition'>;
}

/** One Prometheus registry per service, with the counters every consumer shares. */
export function createMetrics(service: string): ServiceMetrics {
  const prometheus = new Registry();
  prometheus.setDefaultLabels({ service });
  collectDefaultMetrics({ register: prometheus });
  const registers = [prometheus];
  return {
    prometheus,
    messagesConsumed: new Counter({ name: 'mlstream_messages_consumed_total', help: 'Kafka records handled', labelNames: ['topic'], registers }),
    messagesProduced: new Counter({ name: 'mlstream_messages_produced_total', help: 'Kafka records acknowledged by the broker', labelNames: ['topic'], registers }),
    handlerErrors: new Counter({ name: 'mlstream_handler_errors_total', help: 'Records whose handler failed', labelNames: ['topic', 'code'], registers }),
    deadLetters: new Counter({ name: 'mlstream_dead_letters_total', help: 'Records sent to the dead-letter topic', labelNames: ['topic', 'code'], registers }),
    batchDuration: new Histogram({ name: 'mlstream_batch_duration_seconds', help: 'Time to handle one fetched batch', labelNames: ['topic'], registers, buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10] }),
    consumerLag: new Gauge({ name: 'mlstream_consumer_lag', help: 'High watermark minus next offset, per partition', labelNames: ['topic', 'partition'], registers }),
  };
}
