import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type DecodedEvent } from '@mlstream/kit';
import { defaultConfig, labelAccounting, loadSnapshots } from '@mlstream/drift-detector';
import { auditDrift } from '../../services/cli/src/audit/drift.ts';
import { applyTestTopics, connections, testKafka, uniqueName } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { waitForCommitted } from '../helpers/waits.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// Every label the gateway accepted is joined to exactly one drift window or
// recorded as dropped, durably, across a SIGKILL of the drift detector:
// accepted = joined + dropped + pending, exactly, read from the log alone
// (DriftMeasured.performance.labeled, LabelsDropped, the last committed
// snapshot). The labels include retries with the same eventId (counted once),
// labels for requests that never come (NO_PREDICTION), two labels for one
// request (REPLACED), labels arriving before their prediction (joined) and a
// flood larger than the label horizon between two window closes (BACKLOG).
// Mutation that makes it fail: not reporting drops (reportDrops returning null)
// leaves `dropped` short; dropping the snapshot's unreported tally loses the
// drops between the last report and the kill.
describe('label accounting across a drift detector SIGKILL', () => {
  const prefix = `${uniqueName('labels')}.`;
  const catalog = resolveCatalog(prefix);
  const groupId = `${prefix}mlstream-drift-detector`;
  const kafka = testKafka('labels-accounting');
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const running: ServiceProcess[] = [];
  let gateway: TestGateway | undefined;
  const WINDOW = 100;
  const HORIZON = 150;
  const ROUNDS = 8;
  const KILL_AT = 4;
  const T0 = 1_764_200_000_000;

  const detector = () => {
    const p = startService('services/drift-detector/src/main.ts', {
      MLSTREAM_TOPIC_PREFIX: prefix,
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_DRIFT_WINDOW_SIZE: String(WINDOW),
      MLSTREAM_DRIFT_LABEL_HORIZON: String(HORIZON),
    });
    running.push(p);
    return p;
  };
  const prediction = (i: number) => ({
    eventId: randomUUID(),
    occurredAt: T0 + i,
    requestId: `r-${i}`,
    model: 'churn',
    version: 1,
    numericFeatures: { x: (i * 7) % 13 },
    categoricalFeatures: { c: i % 3 ? 'a' : 'b' },
    prediction: i % 2,
    latencyMs: 1,
  });
  const label = (requestId: string, value: number) => ({ eventId: randomUUID(), occurredAt: T0 + 1_000_000, requestId, model: 'churn', label: value });
  type Label = ReturnType<typeof label>;

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await gateway?.stop();
  });

  it('joins or durably drops every accepted label, and the audit reproduces every record', async () => {
    await applyTestTopics(kafka, catalog);
    gateway = await startTestGateway({ prefix });
    const admin = kafka.admin();
    await admin.connect();
    let predictionRecords = 0;
    let labelRecords = 0;
    const distinct = new Set<string>();
    const post = async (path: '/v1/predictions' | '/v1/feedback', items: unknown[]) => {
      for (let i = 0; i < items.length; i += 100) {
        const batch = items.slice(i, i + 100);
        const body = path === '/v1/predictions' ? { predictions: batch } : { labels: batch };
        const res = await gateway!.call('POST', path, { body, token: tokens.writer });
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        expect(res.body.accepted).toBe(batch.length);
      }
    };
    const sendPredictions = async (round: number) => {
      const items = Array.from({ length: WINDOW }, (_, k) => prediction(round * WINDOW + k));
      await post('/v1/predictions', items);
      predictionRecords += items.length;
    };
    const sendLabels = async (labels: Label[]) => {
      await post('/v1/feedback', labels);
      labelRecords += labels.length;
      for (const l of labels) distinct.add(l.eventId);
    };
    const labelsOf = (round: number): Label[] => {
      const labels: Label[] = [];
      for (let k = 0; k < 90; k++) labels.push(label(`r-${round * WINDOW + k}`, k % 3 ? 1 : 0));
      for (let k = 0; k < 5; k++) labels.push(label(`r-${(round + 1) * WINDOW + k}`, 1)); // before their prediction
      for (let k = 0; k < 3; k++) labels.push(label(`ghost-${round}-${k}`, 0)); // never predicted
      labels.push(label(`twin-${round}`, 0), label(`twin-${round}`, 1)); // the first is replaced
      if (round === 2) for (let k = 0; k < 250; k++) labels.push(label(`flood-${k}`, 1)); // beyond the horizon
      // A client retry after a timeout: the same facts again, same eventIds.
      return [...labels, ...labels.slice(0, 10)];
    };
    const caughtUp = () =>
      Promise.all([
        waitForCommitted(admin, groupId, catalog.topic('predictions'), predictionRecords, { timeoutMs: 90_000 }),
        waitForCommitted(admin, groupId, catalog.topic('feedback'), labelRecords, { timeoutMs: 90_000 }),
      ]);

    let process = detector();
    for (let round = 0; round < ROUNDS; round++) {
      await sendPredictions(round);
      const labels = labelsOf(round);
      if (round === KILL_AT) {
        // Killed mid-stream: half the round's labels sent, the rest and the next predictions while it is down.
        await sendLabels(labels.slice(0, 50));
        await waitForCommitted(admin, groupId, catalog.topic('feedback'), labelRecords - 25, { timeoutMs: 90_000 });
        process.child.kill('SIGKILL');
        await process.exited;
        await sendLabels(labels.slice(50));
        process = detector();
      } else {
        await sendLabels(labels);
      }
      await caughtUp();
    }
    // A last window of fresh requests: its close joins or drops what the last labels left waiting.
    await sendPredictions(ROUNDS);
    await caughtUp();

    // From the log: every accepted label (a distinct eventId on the feedback topic) is accounted for.
    const feedback = await readTopic(kafka, serde, catalog.topic('feedback'));
    expect(feedback).toHaveLength(labelRecords);
    const accepted = new Set(feedback.map((e) => e.value.eventId)).size;
    expect(accepted).toBe(distinct.size);
    const drift = await readTopic(kafka, serde, catalog.topic('drift'));
    const measured = drift.flatMap((e) => (e.type === 'DriftMeasured' ? [e.value] : []));
    const reports = drift.flatMap((e) => (e.type === 'LabelsDropped' ? [e.value] : []));
    expect(new Set(drift.map((e) => e.value.eventId)).size).toBe(drift.length); // nothing published twice across the kill
    expect(measured.map((m) => m.window.index)).toEqual(Array.from({ length: ROUNDS + 1 }, (_, i) => i));
    const joinedInWindows = measured.reduce((n, m) => n + (m.performance?.labeled ?? 0), 0);
    const reported = reports.reduce((n, r) => n + r.dropped, 0);
    const reasons = new Map<string, number>();
    for (const r of reports) for (const x of r.reasons) reasons.set(x.reason, (reasons.get(x.reason) ?? 0) + x.count);
    expect([...reasons.keys()].sort()).toEqual(['BACKLOG', 'NO_PREDICTION', 'REPLACED']);
    expect(reasons.get('REPLACED')).toBeGreaterThanOrEqual(ROUNDS - 1);
    expect(reasons.get('BACKLOG')).toBeGreaterThanOrEqual(250 + 100 - HORIZON);

    const partition = feedback[0]!.partition;
    const snapshot = (await loadSnapshots(kafka, serde, catalog, groupId, [partition])).get(partition)!;
    const model = snapshot.models.churn!;
    const account = labelAccounting(model);
    const openWindow = snapshot.streams['churn|1']!.window.performance.labeled;
    const unreported = Object.values(model.unreportedDrops).reduce((n, e) => n + (e?.count ?? 0), 0);
    // The last close joined or reported everything before it: nothing is joined to an open window or unreported.
    expect({ openWindow, unreported, arrived: model.arrived.length }).toEqual({ openWindow: 0, unreported: 0, arrived: 0 });
    expect(joinedInWindows + reported + account.pending).toBe(accepted);
    // With nothing arrived, what is pending is the labels still waiting for their prediction.
    expect(account).toEqual({ accepted, joined: joinedInWindows, dropped: reported, pending: model.early.size });
    expect(reports.at(-1)!.accounting.accepted).toBe(reports.at(-1)!.accounting.joined + reports.at(-1)!.accounting.dropped + reports.at(-1)!.accounting.pending);

    // The windows' feedback ranges never overlap, and a label outside them is a repeat (skipped before the join)
    // or after the last close; the audit recomputes every record, LabelsDropped too.
    const ranges = measured.flatMap((m) => (m.sources ?? []).slice(1)).sort((a, b) => a.fromOffset - b.fromOffset);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.fromOffset).toBeGreaterThan(ranges[i - 1]!.toOffset);
    const seen = new Set<string>();
    const outside = feedback.filter((e) => {
      const repeat = seen.has(e.value.eventId);
      seen.add(e.value.eventId);
      const offset = Number(e.offset);
      return !repeat && offset <= ranges.at(-1)!.toOffset && !ranges.some((r) => r.fromOffset <= offset && offset <= r.toOffset);
    });
    expect(outside).toEqual([]);
    const predictions = await readTopic(kafka, serde, catalog.topic('predictions'));
    const recorded: DecodedEvent[] = [...drift, ...(await readTopic(kafka, serde, catalog.topic('retrain'))), ...(await readTopic(kafka, serde, catalog.topic('quality')))];
    const report = auditDrift({ model: 'churn', predictions, recorded, labels: feedback, configOf: () => ({ ...defaultConfig, windowSize: WINDOW, labelHorizon: HORIZON }) });
    expect(report.findings).toEqual([]);
    expect(report.matched).toBe(recorded.length);
    await admin.disconnect();
  }, 360_000); // above the sum of its named waits, so a stall reports which wait, not vitest's timeout
});
