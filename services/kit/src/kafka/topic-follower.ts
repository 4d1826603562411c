import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { MlstreamError } from '../errors/index.ts';
import { consumerPreset } from './consumer-preset.ts';

export interface TopicFollowerOptions {
  kafka: Kafka;
  topics: string[];
  /** A group of this follower's own, never committed and deleted on stop: every instance reads everything. */
  groupId: string;
  onBatch: (batch: EachBatchPayload['batch']) => Promise<void> | void;
}

export interface TopicFollower {
  start(): Promise<void>;
  /**
   * Resolves once every record committed to the topics before this call has
   * been handed to `onBatch`; rejects with KAFKA_UNAVAILABLE after
   * `timeoutMs`, or when the follower's consumer has crashed.
   */
  catchUp(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

type Waiter = { target: Map<string, number>; resolve: () => void; reject: (error: Error) => void };

/**
 * Follows topics from their beginning, for a view that must be current
 * before it answers ("has this run ever started?", "what is this version's
 * training lineage?"). Progress comes from kafkajs' END_BATCH_PROCESS,
 * which also fires for batches holding only transaction markers, so a
 * partition whose tail is a commit marker counts as read.
 */
export function createTopicFollower(options: TopicFollowerOptions): TopicFollower {
  const { kafka, topics, groupId } = options;
  if (!topics.length) throw new TypeError('createTopicFollower: `topics` must name at least one topic');
  /** Next offset to read per `topic:partition`. */
  const position = new Map<string, number>();
  const waiters = new Set<Waiter>();
  let consumer: Consumer | undefined;
  let admin: Admin | undefined;
  let failure: Error | undefined;

  const reached = (target: Map<string, number>) => [...target].every(([tp, end]) => (position.get(tp) ?? 0) >= end);
  const settle = () => {
    for (const w of waiters) {
      if (failure) w.reject(new MlstreamError('KAFKA_UNAVAILABLE', `the reader of ${topics.join(', ')} stopped: ${failure.message}`, { cause: failure }));
      else if (reached(w.target)) w.resolve();
    }
  };

  return {
    async start() {
      admin = kafka.admin();
      await admin.connect();
      consumer = kafka.consumer(consumerPreset({ groupId, maxWaitTimeMs: 50 }));
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const tp = `${payload.topic}:${payload.partition}`;
        position.set(tp, Math.max(position.get(tp) ?? 0, Number(payload.lastOffset) + 1));
        settle();
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        failure = payload.error;
        settle();
      });
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: ({ batch }) => Promise.resolve(options.onBatch(batch)) });
    },

    async catchUp(timeoutMs) {
      if (!admin) throw new MlstreamError('KAFKA_UNAVAILABLE', `${topics.join(', ')}: not being read yet`);
      const ends = await Promise.all(topics.map((topic) => admin!.fetchTopicOffsets(topic).then((offsets) => offsets.map((o) => ({ topic, ...o }))))).catch((cause: unknown) => {
        throw new MlstreamError('KAFKA_UNAVAILABLE', `could not read the end of ${topics.join(', ')}`, { cause });
      });
      const target = new Map(ends.flat().filter((o) => Number(o.high) > Number(o.low)).map((o) => [`${o.topic}:${o.partition}`, Number(o.high)]));
      if (reached(target)) return;
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = { target, resolve: () => {}, reject: () => {} };
      try {
        await new Promise<void>((resolve, reject) => {
          Object.assign(waiter, { resolve, reject });
          waiters.add(waiter);
          settle();
          timer = setTimeout(() => reject(new MlstreamError('KAFKA_UNAVAILABLE', `${topics.join(', ')} not read to their end within ${timeoutMs} ms`)), timeoutMs);
        });
      } finally {
        clearTimeout(timer);
        waiters.delete(waiter);
      }
    },

    async stop() {
      await consumer?.disconnect().catch(() => {});
      if (admin) {
        await admin.deleteGroups([groupId]).catch(() => {});
        await admin.disconnect().catch(() => {});
      }
    },
  };
}
