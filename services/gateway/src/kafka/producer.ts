import type { Kafka, Message, Producer, RecordMetadata } from 'kafkajs';
import { MlstreamError, type EncodedRecord, type Logger, type ServiceMetrics } from '@mlstream/kit';

export interface FactProducerOptions {
  kafka: Kafka;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Longest a send may take before the client gets 503; default 5 000 ms. */
  sendTimeoutMs?: number;
  /**
   * Bytes of records (values and headers) one produce request carries at most;
   * default 800 000, under the broker's 1 MB record batch limit even when every
   * record goes to one partition.
   */
  maxRequestBytes?: number;
}

export interface SendOptions {
  /** Send in a request of its own, so the returned metadata's baseOffset is this record's offset. */
  alone?: boolean;
}

export interface FactProducer {
  /**
   * Resolves once Kafka acknowledged every record with acks=all. Fails with
   * KAFKA_UNAVAILABLE when it does not within the send timeout.
   */
  send(records: EncodedRecord[], options?: SendOptions): Promise<RecordMetadata[]>;
  /** Whether the last send succeeded (readiness). */
  healthy(): boolean;
  stop(): Promise<void>;
}

type Job = {
  records: EncodedRecord[];
  bytes: number;
  alone: boolean;
  /** The client got its answer (timeout): do not send it any more. */
  abandoned: boolean;
  resolve: (acks: RecordMetadata[]) => void;
  reject: (error: Error) => void;
};

const sizeOf = (m: Message): number => {
  let n = (m.value as Buffer | null)?.length ?? 0;
  const headers = m.headers;
  for (const k in headers) {
    const v = headers[k];
    n += k.length + (typeof v === 'string' ? v.length : Buffer.isBuffer(v) ? v.length : 16);
  }
  return n + 64;
};

const isTooLarge = (error: unknown): boolean => (error as { type?: string } | null)?.type === 'MESSAGE_TOO_LARGE';

/**
 * The gateway's producer of facts and commands: one idempotent producer
 * (acks=all, one request in flight, so its sequence numbers stay in order)
 * that sends the records of all requests waiting at that moment in ONE
 * produce request, then the next group: concurrent HTTP requests share a
 * round trip instead of queueing behind each other.
 *
 * A send that fails or times out discards the producer, so the next send
 * starts a new idempotent session: sequence numbers never outlive an error,
 * which is what makes a short retry policy safe (kafkajs warns that limiting
 * retries of an idempotent producer can break its sequence; a fresh producer
 * id cannot).
 */
export function createFactProducer(options: FactProducerOptions): FactProducer {
  const { kafka, logger, metrics } = options;
  const sendTimeoutMs = options.sendTimeoutMs ?? 5_000;
  const maxRequestBytes = options.maxRequestBytes ?? 800_000;
  if (!(sendTimeoutMs > 0)) throw new TypeError('createFactProducer: `sendTimeoutMs` must be positive');
  if (!(maxRequestBytes > 0)) throw new TypeError('createFactProducer: `maxRequestBytes` must be positive');
  let current: Promise<Producer> | undefined;
  let healthy = true;
  let stopped = false;
  let pumping = false;
  const queue: Job[] = [];

  const producer = (): Promise<Producer> => {
    if (!current) {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      current = p.connect().then(() => p);
      current.catch(() => {});
    }
    return current;
  };
  const discard = (failed: Promise<Producer>) => {
    if (current !== failed) return;
    current = undefined;
    failed.then((p) => p.disconnect()).catch(() => {});
  };

  /** The next group: waiting jobs in order, up to the byte budget (at least one), a job marked `alone` by itself. */
  const nextGroup = (): Job[] => {
    const group: Job[] = [];
    let bytes = 0;
    while (queue.length) {
      const job = queue[0]!;
      if (job.abandoned) {
        queue.shift();
        continue;
      }
      if (group.length && (job.alone || group[0]!.alone || bytes + job.bytes > maxRequestBytes)) break;
      group.push(queue.shift()!);
      bytes += job.bytes;
    }
    return group;
  };

  const sendGroup = async (group: Job[]) => {
    const byTopic = new Map<string, Message[]>();
    for (const job of group) {
      for (const r of job.records) {
        const messages = byTopic.get(r.topic);
        if (messages) messages.push(r.message);
        else byTopic.set(r.topic, [r.message]);
      }
    }
    const session = producer();
    let timer: NodeJS.Timeout | undefined;
    const started = process.hrtime.bigint();
    try {
      const acks = await Promise.race([
        session.then((p) => p.sendBatch({ acks: -1, timeout: sendTimeoutMs, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no acknowledgement within ${sendTimeoutMs} ms`)), sendTimeoutMs);
        }),
      ]);
      healthy = true;
      for (const [topic, messages] of byTopic) metrics.messagesProduced.inc({ topic }, messages.length);
      metrics.batchDuration.observe({ topic: 'gateway.produce' }, Number(process.hrtime.bigint() - started) / 1e9);
      for (const job of group) job.resolve(acks);
    } catch (cause) {
      if (isTooLarge(cause) && group.length > 1) {
        // Together too large for one record batch: send each on its own.
        queue.unshift(...group.map((job) => ({ ...job, alone: true })));
        return;
      }
      if (isTooLarge(cause)) {
        group[0]!.reject(new MlstreamError('PAYLOAD_TOO_LARGE', 'the records exceed the Kafka record batch limit; send fewer or smaller records per request', { cause }));
        return;
      }
      healthy = false;
      discard(session);
      logger.warn({ err: cause, requests: group.length, topics: [...byTopic.keys()] }, 'kafka.send_failed');
      const error = new MlstreamError('KAFKA_UNAVAILABLE', 'Kafka did not acknowledge the write; nothing was acknowledged, retry later with the same Idempotency-Key', { cause });
      for (const job of group) job.reject(error);
    } finally {
      clearTimeout(timer);
    }
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      for (let group = nextGroup(); group.length; group = nextGroup()) await sendGroup(group);
    } finally {
      pumping = false;
    }
  };

  return {
    healthy: () => healthy,
    send(records, sendOptions = {}) {
      if (stopped) return Promise.reject(new MlstreamError('SHUTTING_DOWN'));
      if (!records.length) return Promise.resolve([]);
      return new Promise<RecordMetadata[]>((resolve, reject) => {
        const job: Job = { records, bytes: records.reduce((n, r) => n + sizeOf(r.message), 0), alone: sendOptions.alone ?? false, abandoned: false, resolve, reject };
        // The client's deadline: waiting in the queue counts too.
        const timer = setTimeout(() => {
          job.abandoned = true;
          reject(new MlstreamError('KAFKA_UNAVAILABLE', `Kafka did not acknowledge the write within ${sendTimeoutMs} ms; retry later with the same Idempotency-Key`));
        }, sendTimeoutMs);
        job.resolve = (acks) => {
          clearTimeout(timer);
          resolve(acks);
        };
        job.reject = (error) => {
          clearTimeout(timer);
          reject(error);
        };
        queue.push(job);
        void pump();
      });
    },
    async stop() {
      stopped = true;
      const p = current;
      current = undefined;
      if (p) await p.then((x) => x.disconnect()).catch(() => {});
    },
  };
}
