import type { Admin, Kafka } from 'kafkajs';
import { Gauge } from 'prom-client';
import type { ServiceMetrics } from './service-metrics.ts';

/** Committed offsets of one group against the high watermarks: the lag per topic and partition. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  committed: number;
  end: number;
  lag: number;
}

/**
 * The lag of consumer groups as the cluster sees it: log end offset minus the
 * group's committed offset (a partition never committed counts from its log
 * start). Every instance of a service reports the whole group, so the figure
 * is the same whichever instance is scraped.
 */
export async function groupLag(admin: Admin, groupId: string): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId });
  const rows: PartitionLag[] = [];
  for (const { topic, partitions } of committed) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const p of partitions) {
      const end = ends.find((e) => e.partition === p.partition);
      if (!end) continue;
      const next = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
      rows.push({ group: groupId, topic, partition: p.partition, committed: next, end: Number(end.high), lag: Math.max(0, Number(end.high) - next) });
    }
  }
  return rows;
}

/**
 * Adds `mlstream_consumer_group_lag{group,topic,partition}` to a service's
 * registry, computed at scrape time for every consumer group the service
 * created a consumer in (found by watching `kafka.consumer`). Returns the
 * client to build consumers from and a closer for the admin connection.
 */
export function exportGroupLag(kafka: Kafka, metrics: ServiceMetrics): { kafka: Kafka; close(): Promise<void> } {
  const groups = new Set<string>();
  let admin: Admin | undefined;
  let connected: Promise<void> | undefined;
  new Gauge({
    name: 'mlstream_consumer_group_lag',
    help: 'Log end offset minus the committed offset of the consumer group, per topic and partition (computed when scraped)',
    labelNames: ['group', 'topic', 'partition'],
    registers: [metrics.prometheus],
    async collect() {
      this.reset();
      if (!groups.size) return;
      try {
        admin ??= kafka.admin();
        connected ??= admin.connect();
        await connected;
        for (const group of groups) {
          for (const row of await groupLag(admin, group)) this.set({ group, topic: row.topic, partition: String(row.partition) }, row.lag);
        }
      } catch {
        // A scrape while a broker is away shows no lag series rather than failing /metrics.
        connected = undefined;
        await admin?.disconnect().catch(() => {});
        admin = undefined;
      }
    },
  });
  const watched = new Proxy(kafka, {
    get(target, property, receiver) {
      if (property === 'consumer') {
        return (config: Parameters<Kafka['consumer']>[0]) => {
          // Readers that take a throwaway group (replays, read-to-end) commit nothing and so show no lag.
          groups.add(config.groupId);
          return target.consumer(config);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return {
    kafka: watched,
    async close() {
      await admin?.disconnect().catch(() => {});
    },
  };
}
