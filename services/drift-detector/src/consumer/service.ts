import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { coPartitionedAssigner, deadLetterFor, isMlstreamError, once, poisonCodes, type Logger, type ResolvedCatalog, type Serde, type ServiceMetrics } from '@mlstream/kit';
import { Gauge } from 'prom-client';
import { apply, deserializeState, serializeState, type DetectorConfig, type DetectorInput, type DetectorOutput, type DetectorState } from '../domain/index.ts';
import { streamKey } from '../domain/state.ts';
import { createLineageFollower } from './lineage-follower.ts';
import { encodeSnapshot, loadSnapshots } from './snapshots.ts';

export interface DriftServiceOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  groupId: string;
  configOf: (model: string) => DetectorConfig;
  metrics?: ServiceMetrics;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
}

interface Owned {
  producer: Producer;
  state: DetectorState;
  /** The state as last committed, to roll back to when a transaction aborts. */
  committed: string;
}

/**
 * Consume-transform-produce with Kafka transactions: for each fetched batch
 * of an input partition, the drift outputs, a snapshot of the partition's
 * detector state and the consumed offsets commit together. A restart (or a
 * new owner after a rebalance) loads the latest snapshot and resumes at the
 * committed offsets, so outputs equal those of an uninterrupted run.
 */
export function createDriftService(options: DriftServiceOptions) {
  const { kafka, serde, catalog, groupId } = options;
  const predictions = catalog.topic('predictions');
  const feedback = catalog.topic('feedback');
  const log = options.logger.child({ group: groupId });
  const owned = new Map<number, Owned>();
  const lineage = createLineageFollower({ kafka, serde, catalog, logger: log, groupId });
  let assigned = new Set<number>();
  const registers = options.metrics ? [options.metrics.registry] : [];
  const driftShare = new Gauge({ name: 'mlstream_drift_share', help: 'Share of drifted features in the last window', labelNames: ['model', 'version'], registers });
  const verdict = new Gauge({ name: 'mlstream_drift_verdict', help: 'Last window verdict: 1 drifted, 0 not', labelNames: ['model', 'version'], registers });
  const labelsDropped = new Gauge({ name: 'mlstream_drift_labels_dropped', help: 'Labels that left the bounded join buffers without being joined (see MLSTREAM_DRIFT_LABEL_HORIZON)', labelNames: ['model'], registers });
  const consumer: Consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
    partitionAssigners: [coPartitionedAssigner],
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    rebalanceTimeout: options.rebalanceTimeoutMs ?? 60_000,
    heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
  });

  const release = async (partition: number) => {
    const o = owned.get(partition);
    owned.delete(partition);
    await o?.producer.disconnect().catch(() => {});
  };

  const acquire = async (partitions: number[]) => {
    const fresh = partitions.filter((p) => !owned.has(p));
    if (!fresh.length) return;
    const producers = new Map<number, Producer>();
    for (const p of fresh) {
      const producer = kafka.producer({ transactionalId: `${groupId}-${p}`, idempotent: true, maxInFlightRequests: 1, retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 } });
      await producer.connect();
      await (await producer.transaction()).abort(); // fences a previous owner, aborts its open transaction
      producers.set(p, producer);
    }
    const states = await loadSnapshots(kafka, serde, catalog, groupId, fresh);
    for (const p of fresh) {
      const state = states.get(p)!;
      owned.set(p, { producer: producers.get(p)!, state, committed: serializeState(state) });
    }
    log.info({ partitions: fresh }, 'drift.partitions_acquired');
  };

  const publish = (output: DetectorOutput) => {
    if (output.type === 'DriftMeasured') {
      driftShare.set({ model: output.value.model, version: String(output.value.version) }, output.value.driftedShare);
      verdict.set({ model: output.value.model, version: String(output.value.version) }, output.value.datasetDrift ? 1 : 0);
    }
    return serde.encode(output.type, output.value as never, { causationId: output.value.eventId });
  };

  const handleBatch = async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
    const { topic, partition } = batch;
    if (!owned.has(partition)) await acquire([...new Set([...assigned, partition])]);
    const o = owned.get(partition)!;
    const outputs: DetectorOutput[] = [];
    const deadLetters: Array<ReturnType<typeof serde.encode>> = [];
    let caughtUp = false;
    for (const message of batch.messages) {
      let input: DetectorInput;
      try {
        const event = await serde.decode({ topic, partition, message });
        if (event.type === 'PredictionLogged') input = { kind: 'prediction', value: event.value, topic, partition, offset: Number(message.offset) };
        else if (event.type === 'LabelObserved') input = { kind: 'label', value: event.value, topic, partition, offset: Number(message.offset) };
        else continue;
      } catch (error) {
        if (!isMlstreamError(error) || !poisonCodes.has(error.code)) throw error;
        deadLetters.push(serde.encode('DeadLetter', deadLetterFor({ topic, partition, message }, error, groupId)));
        continue;
      }
      if (input.kind === 'prediction' && !caughtUp && !o.state.streams[streamKey(input.value.model, input.value.version)]) {
        // A new model version: its reference is chosen now, so read the lineage committed so far first.
        await lineage.catchUp();
        caughtUp = true;
      }
      outputs.push(...apply(o.state, input, options.configOf, lineage.lineage.referenceFor));
    }
    const last = batch.messages[batch.messages.length - 1]!;
    const tx = await o.producer.transaction();
    try {
      const encoded = await Promise.all(outputs.map(publish));
      for (const record of [...encoded, ...(await Promise.all(deadLetters))]) await tx.send({ topic: record.topic, acks: -1, messages: [record.message] });
      const next = Number(last.offset) + 1;
      // One serialization per batch: it is both the snapshot and the rollback point.
      const serialized = serializeState(o.state);
      const snapshot = await encodeSnapshot(serde, groupId, partition, serialized, { [topic]: next }, Number(last.timestamp));
      await tx.send({ topic: snapshot.topic, acks: -1, messages: [snapshot.message] });
      await tx.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition, offset: String(next) }] }] });
      await tx.commit();
      o.committed = serialized;
      for (const [model, m] of Object.entries(o.state.models)) labelsDropped.set({ model }, m.labelsDropped);
      resolveOffset(last.offset);
      options.metrics?.messagesConsumed.inc({ topic }, batch.messages.length);
      options.metrics?.messagesProduced.inc({ topic: catalog.topic('drift') }, outputs.length);
    } catch (error) {
      await tx.abort().catch(() => {});
      o.state = deserializeState(o.committed);
      log.error({ topic, partition, err: error }, 'drift.batch_failed');
      if (/fenced|epoch/i.test(String((error as Error).message))) await release(partition);
      throw error;
    }
    await heartbeat();
  };

  return {
    status: () => [...owned].map(([partition, o]) => ({ partition, streams: Object.keys(o.state.streams).length })),
    async start() {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const mine = new Set([...(payload.memberAssignment[predictions] ?? []), ...(payload.memberAssignment[feedback] ?? [])]);
        for (const p of owned.keys()) if (!mine.has(p)) void release(p);
        assigned = mine;
        log.info({ partitions: [...mine] }, 'drift.assigned');
      });
      await lineage.start();
      await consumer.connect();
      await consumer.subscribe({ topics: [predictions, feedback], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: handleBatch });
    },
    stop: once(async () => {
      await consumer.disconnect();
      await lineage.stop();
      await Promise.all([...owned.keys()].map(release));
    }),
  };
}
