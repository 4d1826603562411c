import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig, localStackPorts, portVar, type Env } from '@mlstream/kit';

/** Repository root (this file is services/cli/src/stack/settings.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The newest Kafka on Maven Central when this was last checked (docs/stack.md). */
export const defaultKafkaVersion = '4.4.0';

const schema = z.object({
  MLSTREAM_HOME: z.string().min(1).default(path.join(repoRoot, '.mlstream')),
  MLSTREAM_KAFKA_PORT: portVar(localStackPorts.kafka),
  MLSTREAM_KAFKA_CONTROLLER_PORT: portVar(localStackPorts.kafkaController),
  MLSTREAM_REGISTRY_PORT: portVar(localStackPorts.registry),
  MLSTREAM_CLICKHOUSE_HTTP_PORT: portVar(localStackPorts.clickhouseHttp),
  MLSTREAM_CLICKHOUSE_TCP_PORT: portVar(localStackPorts.clickhouseTcp),
  // Apicurio 3.1+ serves health and metrics on a separate management port.
  MLSTREAM_REGISTRY_MANAGEMENT_PORT: portVar(18082),
  MLSTREAM_KAFKA_VERSION: z.string().regex(/^4\.\d+\.\d+$/, 'expected a Kafka 4.x version such as 4.4.0').default(defaultKafkaVersion),
  // Unset: chosen by the Java found (java.ts: 3.3.3 on Java 21+, else 3.0.9).
  MLSTREAM_APICURIO_VERSION: z.string().regex(/^3\.\d+\.\d+$/, 'expected an Apicurio Registry 3.x version such as 3.3.3').optional(),
  MLSTREAM_KAFKA_HEAP: z.string().regex(/^\d+[mg]$/, 'expected a JVM size such as 768m or 1g').default('768m'),
  MLSTREAM_REGISTRY_HEAP: z.string().regex(/^\d+[mg]$/, 'expected a JVM size such as 512m').default('384m'),
  MLSTREAM_STACK_TIMEOUT_MS: z.coerce.number().int().min(5_000, 'expected at least 5000 ms').default(180_000),
  JAVA_HOME: z.string().optional(),
});

export interface StackSettings {
  home: string;
  dirs: { install: string; run: string; logs: string; data: string; config: string };
  ports: { kafka: number; kafkaController: number; registry: number; registryManagement: number; clickhouseHttp: number; clickhouseTcp: number };
  /** `apicurio` undefined: chosen by the Java found (see java.ts). */
  versions: { kafka: string; apicurio?: string };
  heap: { kafka: string; registry: string };
  timeoutMs: number;
  /** Cluster mode: every broker (the registry's bootstrap); unset = 127.0.0.1:<ports.kafka>. */
  kafkaBootstrap?: string;
  /** JAVA_HOME when set; otherwise the stack looks for JDKs itself (java.ts). */
  javaHome?: string;
}

export function loadStackSettings(env: Env = process.env): StackSettings {
  const c = loadConfig(schema, env);
  const home = path.resolve(c.MLSTREAM_HOME);
  return {
    home,
    dirs: {
      install: path.join(home, 'install'),
      run: path.join(home, 'run'),
      logs: path.join(home, 'logs'),
      data: path.join(home, 'data'),
      config: path.join(home, 'config'),
    },
    ports: {
      kafka: c.MLSTREAM_KAFKA_PORT,
      kafkaController: c.MLSTREAM_KAFKA_CONTROLLER_PORT,
      registry: c.MLSTREAM_REGISTRY_PORT,
      registryManagement: c.MLSTREAM_REGISTRY_MANAGEMENT_PORT,
      clickhouseHttp: c.MLSTREAM_CLICKHOUSE_HTTP_PORT,
      clickhouseTcp: c.MLSTREAM_CLICKHOUSE_TCP_PORT,
    },
    versions: { kafka: c.MLSTREAM_KAFKA_VERSION, apicurio: c.MLSTREAM_APICURIO_VERSION },
    heap: { kafka: c.MLSTREAM_KAFKA_HEAP, registry: c.MLSTREAM_REGISTRY_HEAP },
    timeoutMs: c.MLSTREAM_STACK_TIMEOUT_MS,
    ...(c.JAVA_HOME ? { javaHome: c.JAVA_HOME } : {}),
  };
}
