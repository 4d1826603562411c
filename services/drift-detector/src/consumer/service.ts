import type { Kafka, Message } from 'kafkajs';
import { coPartitionedAssigner, createExactlyOnceLoop, once, deadLetterFor, decodeKnownOrDeadLetter, decodeOrDeadLetter, type DeadLetter, type Logger, type OutgoingRecords, type ResolvedCatalog, type Serde, type ServiceMetrics, type TransactionalState } from '@mlstream/kit';
import { Gauge } from 'prom-client';
import { apply, closesWindow, deserializeState, joinSegments, serializeStateSegments, type DetectorConfig, type DetectorInput, type DetectorOutput, type DetectorState, type StateSegments } from '../domain/index.ts';
import { labelAccounting, streamKey } from '../domain/state.ts';
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

/** The detector state of one input partition, with the serialization last committed to roll back to. */
interface DriftPartition extends TransactionalState {
  state: DetectorState;
  /** The serialization that goes into this transaction's snapshot; it becomes the rollback point on commit. */
  stage(serialized: StateSegments): void;
}

function driftPartition(initial: DetectorState, onCommit: (state: DetectorState) => void): DriftPartition {
  let committed = serializeStateSegments(initial);
  let staged: StateSegments | undefined;
  const partition: DriftPartition = {
    state: initial,
    stage: (serialized) => void (staged = serialized),
    commit() {
      if (staged !== undefined) committed = staged;
      staged = undefined;
      onCommit(partition.state);
    },
    rollback() {
      partition.state = deserializeState(joinSegments(committed));
      staged = undefined;
    },
  };
  return partition;
}

/**
 * Records per transaction, and bytes per partition per fetch (about 520
 * bytes a prediction of 25 features: an 8 MiB fetch holds ~16 000). Each
 * transaction carries a snapshot of the partition's whole state (reference,
 * window sample, label and dedupe buffers: hundreds of kB of JSON) and costs
 * several broker round trips, a fixed price per chunk: kit's default 500
 * records and kafkajs' 1 MiB fetches paid it every ~500 predictions, 5 000
 * records and 4 MiB fetches twice per ~8 000 (a full chunk and the fetch's
 * rest); these pay it once per fetch (docs/performance.md "Drift detector").
 * apply() sees the same inputs in the same order whatever the chunk size, but
 * lineage and suites are read at most once per chunk (below): one published
 * while a larger chunk is handled reaches the windows later. That is the
 * event-time race docs/drift.md already states for lineage; no test pins
 * outputs across chunk sizes.
 */
export const DRIFT_MAX_BATCH = 20_000;
export const DRIFT_FETCH_BYTES_PER_PARTITION = 8 * 2 ** 20;

/** One send per topic, each topic's records in their order. */
const byTopic = (records: Array<{ topic: string; message: Message }>): OutgoingRecords[] => {
  const topics = new Map<string, Message[]>();
  for (const r of records) {
    const messages = topics.get(r.topic);
    if (messages) messages.push(r.message);
    else topics.set(r.topic, [r.message]);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
};

/**
 * The drift detector on kit's exactly-once loop: for each chunk of an input
 * partition (predictions and feedback are co-partitioned and owned together),
 * the drift outputs, a snapshot of the partition's detector state and the
 * consumed offset commit in one transaction. A restart (or a new owner after
 * a rebalance) loads the latest snapshot and resumes at the committed offsets,
 * so outputs equal those of an uninterrupted run.
 */
export function createDriftService(options: DriftServiceOptions) {
  const { kafka, serde, catalog, groupId, metrics } = options;
  const log = options.logger.child({ group: groupId });
  const lineage = createLineageFollower({ kafka, serde, catalog, logger: log, groupId });
  const registers = metrics ? [metrics.prometheus] : [];
  const driftShare = new Gauge({ name: 'mlstream_drift_share', help: 'Share of drifted features in the last window', labelNames: ['model', 'version'], registers });
  const verdict = new Gauge({ name: 'mlstream_drift_verdict', help: 'Last window verdict: 1 drifted, 0 not', labelNames: ['model', 'version'], registers });
  const labelsDropped = new Gauge({ name: 'mlstream_drift_labels_dropped', help: 'Labels that left the bounded join buffers without being joined (see MLSTREAM_DRIFT_LABEL_HORIZON)', labelNames: ['model'], registers });
  const labels = new Gauge({ name: 'mlstream_drift_labels', help: 'Label accounting per model, from the committed state: accepted = joined + dropped + pending', labelNames: ['model', 'outcome'], registers });
  const repeats = new Gauge({ name: 'mlstream_drift_repeated_events', help: 'Predictions and labels skipped because their eventId repeats one seen within the dedupe window', labelNames: ['model'], registers });
  const onCommit = (state: DetectorState) => {
    for (const [model, m] of Object.entries(state.models)) {
      labelsDropped.set({ model }, m.labelsDropped);
      for (const [outcome, n] of Object.entries(labelAccounting(m))) labels.set({ model, outcome }, n);
      repeats.set({ model }, m.repeats);
    }
  };

  const publish = (output: DetectorOutput) => {
    if (output.type === 'DriftMeasured') {
      driftShare.set({ model: output.value.model, version: String(output.value.version) }, output.value.driftedShare);
      verdict.set({ model: output.value.model, version: String(output.value.version) }, output.value.datasetDrift ? 1 : 0);
    }
    return serde.encode(output.type, output.value as never, { causationId: output.value.eventId });
  };

  const deadLetterObserver = { logger: log, metrics };

  const loop = createExactlyOnceLoop<DriftPartition>({
    kafka,
    logger: log,
    groupId,
    topics: [catalog.topic('predictions'), catalog.topic('feedback')],
    consumer: { sessionTimeoutMs: options.sessionTimeoutMs, rebalanceTimeoutMs: options.rebalanceTimeoutMs, assigners: [coPartitionedAssigner], maxBytesPerPartition: DRIFT_FETCH_BYTES_PER_PARTITION },
    maxBatch: DRIFT_MAX_BATCH,
    metrics,
    async restore(partitions) {
      const states = await loadSnapshots(kafka, serde, catalog, groupId, partitions);
      return new Map(partitions.map((p) => [p, driftPartition(states.get(p)!, onCommit)]));
    },
    async process({ topic, partition, messages, state: o }) {
      const outputs: DetectorOutput[] = [];
      const deadLetters: DeadLetter[] = [];
      let caughtUp = false;
      for (const message of messages) {
        // Synchronous once the schema id is known: no promise per record (a promise only for an id's first record).
        const record = { topic, partition, message };
        const decoded = decodeKnownOrDeadLetter(serde, record, deadLetterObserver) ?? (await decodeOrDeadLetter(serde, record, deadLetterObserver));
        if (decoded.deadLetter) {
          deadLetters.push(deadLetterFor(decoded.deadLetter.record, decoded.deadLetter.error, groupId));
          continue;
        }
        const event = decoded.event;
        let input: DetectorInput;
        if (event.type === 'PredictionLogged') input = { kind: 'prediction', value: event.value, topic, partition, offset: Number(message.offset) };
        else if (event.type === 'LabelObserved') input = { kind: 'label', value: event.value, topic, partition, offset: Number(message.offset) };
        else continue;
        if (input.kind === 'prediction' && !caughtUp && (!o.state.streams[streamKey(input.value.model, input.value.version)] || (lineage.lineage.hasSuites() && closesWindow(o.state, input.value, options.configOf(input.value.model))))) {
          // A new model version: its reference is chosen now; a closing window: it evaluates the model's suite in
          // force at its end. Either way, read the lineage (and suites) committed so far first, once per chunk.
          await lineage.catchUp();
          caughtUp = true;
        }
        outputs.push(...apply(o.state, input, options.configOf, lineage.lineage.referenceFor, lineage.lineage.suiteFor));
      }
      const last = messages[messages.length - 1]!;
      const encoded = await Promise.all([...outputs.map(publish), ...deadLetters.map((l) => serde.encode('DeadLetter', l))]);
      // One serialization per chunk: it is both the snapshot and, once committed, the rollback point.
      const serialized = serializeStateSegments(o.state);
      o.stage(serialized);
      const snapshot = await encodeSnapshot(serde, groupId, partition, serialized, { [topic]: Number(last.offset) + 1 }, Number(last.timestamp));
      return byTopic([...encoded, snapshot]);
    },
  });

  return {
    status: () =>
      loop.owned().map(({ partition, state: o }) => ({
        partition,
        streams: Object.keys(o.state.streams).length,
        labels: Object.fromEntries(Object.entries(o.state.models).map(([model, m]) => [model, { ...labelAccounting(m), repeats: m.repeats }])),
      })),
    ready: () => loop.ready(),
    async start() {
      await lineage.start();
      await loop.start();
    },
    stop: once(async () => {
      await loop.stop();
      await lineage.stop();
    }),
  };
}
