import type { Kafka, Producer } from 'kafkajs';

/** The one set of settings of every transactional producer in the services. */
export const transactionalProducerSettings = {
  idempotent: true,
  maxInFlightRequests: 1,
  /** The broker aborts a transaction left open this long (a hung or killed owner); read_committed readers wait at most this. */
  transactionTimeout: 30_000,
  // kafkajs: limited retries on an idempotent producer can break sequence numbers; the transaction timeout bounds an outage instead.
  // First retry after 20 ms, the Java client's backoff for CONCURRENT_TRANSACTIONS: a transaction's first
  // AddPartitionsToTxn is refused until the previous commit's markers are written (a few ms), and kafkajs'
  // default 300 ms made every such transaction wait 300 ms (docs/performance.md "Commands"). Doubling
  // from there reaches the 10 s cap within ten retries, so an outage still backs off.
  retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 20, maxRetryTime: 10_000 },
} as const;

/**
 * Bound to (prefix, partition): whoever owns the partition next uses the same
 * id, and so fences the owner before it. The prefix is the consumer group,
 * or what a caller used before the shared loop (the command processors:
 * `<group>-<command topic>`), so an instance of the previous release and one
 * of this release still fence each other during a rolling upgrade.
 */
export const transactionalIdOf = (prefix: string, partition: number): string => `${prefix}-${partition}`;

/**
 * A connected transactional producer that has fenced every earlier holder of
 * `transactionalId`: the transaction coordinator bumped the producer epoch,
 * aborted the transaction the previous holder left open (or waited until a
 * commit it had already sent wrote its markers), and refuses that holder's
 * later sends and commits (INVALID_PRODUCER_EPOCH).
 *
 * kafkajs' connect() does NOT do this: it asks for a plain idempotent producer
 * id, and sends the transactional InitProducerId only at the first
 * transaction(). So an empty transaction is begun and aborted here (kafkajs
 * sends no EndTxn for it); without it, a caller that reads the group's
 * offsets after "the fence" read them before it, while the previous owner
 * could still commit (processor-crash saw 1 107 results for 1 000 commands).
 */
export async function createTransactionalProducer(kafka: Kafka, transactionalId: string): Promise<Producer> {
  if (!transactionalId) throw new TypeError('createTransactionalProducer: `transactionalId` is required');
  const producer = kafka.producer({ ...transactionalProducerSettings, retry: { ...transactionalProducerSettings.retry }, transactionalId });
  try {
    await producer.connect();
    const fence = await producer.transaction();
    await fence.abort();
  } catch (error) {
    await producer.disconnect().catch(() => {});
    throw error;
  }
  return producer;
}

/** Kafka error code 90, PRODUCER_FENCED, which kafkajs 2.2.4 does not name. */
const PRODUCER_FENCED = /\bUnknown error code 90\b|PRODUCER_FENCED/;

/**
 * True when `error` (or an error it wraps) says a newer holder of the
 * transactional id fenced this producer: the partition has a new owner, so
 * this instance must let go of it rather than retry.
 */
export function isFenced(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { type?: unknown; message?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (e.type === 'INVALID_PRODUCER_EPOCH' || e.type === 'PRODUCER_FENCED') return true;
  if (typeof e.message === 'string' && PRODUCER_FENCED.test(e.message)) return true;
  const nested = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => isFenced(inner, depth + 1));
}

/**
 * Runs `request` (a transaction's first request to the coordinator), again after 20, 40, 80 … ms (at most
 * `attempts` times in all) while the broker answers CONCURRENT_TRANSACTIONS: it refuses to start a
 * transaction until the previous commit's markers are written, a few ms after `commit()` returned. kafkajs
 * retries this for a send (with `transactionalProducerSettings.retry`) but not for sendOffsets' AddOffsetsToTxn,
 * which the loop may send first (`offsetsWhileProcessing`).
 */
export async function whileConcurrentTransactions<T>(request: () => Promise<T>, attempts = 10, firstWaitMs = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if ((error as { type?: unknown })?.type !== 'CONCURRENT_TRANSACTIONS' || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, firstWaitMs * 2 ** (attempt - 1)));
    }
  }
}
