import type { Admin } from 'kafkajs';
import kafkajs from 'kafkajs';

// kafkajs is CommonJS and this enum is not visible to ESM named-import detection.
const { ConfigResourceTypes } = kafkajs;
import type { ResolvedCatalog } from './catalog.ts';

export interface TopicDifference {
  topic: string;
  what: 'partitions' | 'config';
  setting?: string;
  expected: string;
  actual: string;
}

export interface TopicsReport {
  created: string[];
  unchanged: string[];
  /** Existing topics that differ from the catalog: reported, never changed. */
  differences: TopicDifference[];
}

/**
 * Creates the catalog's missing topics and compares existing ones with it.
 * Idempotent; never alters an existing topic (a partition change would move
 * keys between partitions and break per-key ordering).
 */
export async function applyTopics(admin: Admin, catalog: ResolvedCatalog, options: { replicationFactor?: number } = {}): Promise<TopicsReport> {
  const existing = new Set(await admin.listTopics());
  const missing = catalog.topics.filter((t) => !existing.has(t.topic));
  if (missing.length) {
    const replicationFactor = options.replicationFactor ?? (await clusterReplication(admin));
    await admin.createTopics({
      // kafkajs' own wait gives up on UNKNOWN_TOPIC_OR_PARTITION, which Kafka 4
      // answers for a moment after creation; waitForTopics retries it.
      waitForLeaders: false,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  if (missing.length) await waitForTopics(admin, missing.map((t) => t.topic));
  const present = catalog.topics.filter((t) => existing.has(t.topic));
  const differences: TopicDifference[] = [];
  if (present.length) {
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.topic) });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.topic, configNames: Object.keys(t.configs) })),
    });
    for (const spec of present) {
      const partitions = metadata.topics.find((m) => m.name === spec.topic)?.partitions.length ?? 0;
      if (partitions !== spec.partitions) {
        differences.push({ topic: spec.topic, what: 'partitions', expected: String(spec.partitions), actual: String(partitions) });
      }
      const entries = configs.resources.find((r) => r.resourceName === spec.topic)?.configEntries ?? [];
      for (const [setting, expected] of Object.entries(spec.configs)) {
        const actual = entries.find((e) => e.configName === setting)?.configValue ?? '(unset)';
        if (actual !== expected) differences.push({ topic: spec.topic, what: 'config', setting, expected, actual });
      }
    }
  }
  const changed = new Set(differences.map((d) => d.topic));
  return {
    created: missing.map((t) => t.topic),
    unchanged: present.filter((t) => !changed.has(t.topic)).map((t) => t.topic),
    differences,
  };
}

/**
 * The replication a new topic gets from the cluster it is created on: one copy
 * per broker up to three (a single broker: 1; the local cluster's three: 3,
 * with the brokers' min.insync.replicas=2 so one broker may be lost).
 */
export async function clusterReplication(admin: Admin): Promise<number> {
  const { brokers } = await admin.describeCluster();
  return Math.max(1, Math.min(3, brokers.length));
}

/** Waits until every partition of `topics` has a leader (retrying metadata errors), at most `timeoutMs`. */
export async function waitForTopics(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}${last ? ` (${(last as Error).message})` : ''}`);
}
