import type { Kafka } from 'kafkajs';
import { createKafka, createLogger, createSchemaRegistryClient, createSerde, loadConnections, resolveCatalog, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';

export interface KafkaSideOptions {
  /** A kafkajs client; default one built from MLSTREAM_KAFKA_BROKERS (the local stack by default). */
  kafka?: Kafka;
  /** Default MLSTREAM_SCHEMA_REGISTRY_URL. */
  schemaRegistryUrl?: string;
  /** Default MLSTREAM_TOPIC_PREFIX. */
  topicPrefix?: string;
  /** kafkajs client id; default `mlstream-sdk`. */
  clientId?: string;
  logger?: Logger;
}

export interface KafkaSide {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
}

/** The same serde and topic catalog the services use, so SDK records are exactly theirs. */
export function kafkaSide(options: KafkaSideOptions, source: string): KafkaSide {
  const connections = loadConnections();
  const logger = options.logger ?? createLogger({ service: 'mlstream-sdk', level: 'warn' });
  const catalog = resolveCatalog(options.topicPrefix ?? connections.topicPrefix);
  const kafka = options.kafka ?? createKafka({ brokers: connections.kafkaBrokers, clientId: options.clientId ?? 'mlstream-sdk', logger });
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: options.schemaRegistryUrl ?? connections.schemaRegistryUrl }), catalog, source });
  return { kafka, serde, catalog, logger };
}
