import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import { applyTopics, createKafka, createLogger, loadConnections, waitForTopics, type Connections, type Logger, type ResolvedCatalog, type RunningService } from '@mlstream/kit';
import { startTracking } from '@mlstream/tracking';
import { startModelRegistry } from '@mlstream/registry';

/** Connections of the local stack (the same defaults services use). */
export const connections: Connections = loadConnections();

/** Environment variable naming the file where uniqueName() records its names, for this run's cleanup (global-setup.ts). */
export const TEST_NAMES_FILE = 'MLSTREAM_TEST_NAMES_FILE';

/** A unique prefix per test file run, so topics and databases never collide. */
export const uniqueName = (label: string): string => {
  const name = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}-${label}`;
  const file = process.env[TEST_NAMES_FILE];
  if (file) appendFileSync(file, `${name}\n`);
  return name;
};

export const testLogger = (service = 'test'): Logger => createLogger({ service, level: process.env.MLSTREAM_TEST_LOG_LEVEL ?? 'silent' });

export const testKafka = (clientId = 'mlstream-test') =>
  createKafka({ brokers: connections.kafkaBrokers, clientId, logger: testLogger(clientId) });

/** Polls `probe` until it returns a truthy value or throws after `timeoutMs`, with the last failure. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** createTopics that also survives Kafka 4's brief UNKNOWN_TOPIC_OR_PARTITION right after creation. */
export async function createTopics(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  await admin.createTopics({ topics, waitForLeaders: false });
  await waitForTopics(admin, topics.map((t) => t.topic));
}

/** Creates every topic of the catalog (idempotent), as `mlstream topics apply` does. */
export async function applyTestTopics(kafka: Kafka, catalog: ResolvedCatalog): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await applyTopics(admin, catalog);
  } finally {
    await admin.disconnect();
  }
}

/** The tracking and registry processors in this process, on the env's topic prefix (stop them with `stop()`). */
export async function startCommandProcessors(env: NodeJS.ProcessEnv): Promise<RunningService[]> {
  return [
    await startTracking({ env, signals: false }),
    await startModelRegistry({ env, signals: false }),
  ];
}
