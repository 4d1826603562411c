import { z } from 'zod';
import { brokersVar, loadConfig, logLevelVar, urlVar, type Env } from './env.ts';

/** Default ports of the embedded local stack (see infra/stack and README). */
export const localStackPorts = {
  kafka: 19092,
  kafkaController: 19093,
  registry: 18081,
  clickhouseHttp: 18123,
  clickhouseTcp: 19000,
} as const;

const port = (env: Env, name: string, fallback: number): number => {
  const raw = env[name];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : fallback;
};

/**
 * Where every service finds Kafka, the schema registry and ClickHouse. The
 * defaults follow the local stack's ports, so a shell that moved the stack
 * with MLSTREAM_KAFKA_PORT etc. also moves its clients.
 */
export const connectionSchema = (env: Env = process.env) =>
  z.object({
    MLSTREAM_KAFKA_BROKERS: brokersVar(`127.0.0.1:${port(env, 'MLSTREAM_KAFKA_PORT', localStackPorts.kafka)}`),
    MLSTREAM_SCHEMA_REGISTRY_URL: urlVar(
      `http://127.0.0.1:${port(env, 'MLSTREAM_REGISTRY_PORT', localStackPorts.registry)}/apis/ccompat/v7`,
    ),
    MLSTREAM_CLICKHOUSE_URL: urlVar(
      `http://127.0.0.1:${port(env, 'MLSTREAM_CLICKHOUSE_HTTP_PORT', localStackPorts.clickhouseHttp)}`,
    ),
    MLSTREAM_CLICKHOUSE_USER: z.string().default('default'),
    MLSTREAM_CLICKHOUSE_PASSWORD: z.string().default(''),
    MLSTREAM_CLICKHOUSE_DATABASE: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a plain identifier (letters, digits, underscore)')
      .default('mlstream'),
    MLSTREAM_TOPIC_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._-]*$/, 'expected letters, digits, dot, underscore or dash')
      .default(''),
    MLSTREAM_LOG_LEVEL: logLevelVar(),
  });

export interface Connections {
  kafkaBrokers: string[];
  schemaRegistryUrl: string;
  clickhouse: { url: string; username: string; password: string; database: string };
  /** Prepended to every catalog topic name (tests use one per run). */
  topicPrefix: string;
  logLevel: string;
}

export function loadConnections(env: Env = process.env): Connections {
  const c = loadConfig(connectionSchema(env), env);
  return {
    kafkaBrokers: c.MLSTREAM_KAFKA_BROKERS,
    schemaRegistryUrl: c.MLSTREAM_SCHEMA_REGISTRY_URL,
    clickhouse: {
      url: c.MLSTREAM_CLICKHOUSE_URL,
      username: c.MLSTREAM_CLICKHOUSE_USER,
      password: c.MLSTREAM_CLICKHOUSE_PASSWORD,
      database: c.MLSTREAM_CLICKHOUSE_DATABASE,
    },
    topicPrefix: c.MLSTREAM_TOPIC_PREFIX,
    logLevel: c.MLSTREAM_LOG_LEVEL,
  };
}
