import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import type { RetrainJobRow } from '@mlstream/materializer';
import { parseLogisticModel, predictLogistic } from '@mlstream/orchestrator';
import type { Http, MlstreamClient } from '@mlstream/sdk';
import { count, fixed, percent, table } from './format.ts';
import type { ResolvedDemoOptions } from './options.ts';
import { DemoError, sleep } from './platform.ts';
import type { LabeledCount, StreamResult } from './serving.ts';
import { servingTraffic, type StreamPlan } from './traffic.ts';

export interface LoopReport {
  job: RetrainJobRow;
  promotedVersion: number | null;
  accuracy: { beforeShift: LabeledCount; afterShift: LabeledCount; afterPromotion: LabeledCount | null };
}

const FINISHED = new Set(['Promoted', 'Rejected', 'Failed', 'TimedOut']);

/** One line per job event, as the read model shows it. */
function eventLine(e: RetrainJobRow['events'][number]): string {
  const d = e.detail as Record<string, unknown>;
  switch (e.event) {
    case 'Requested':
      return `job requested for v${d.version} (executor ${d.executor}); evidence windows ${[...new Set(d.evidenceWindowIds as string[])].join(', ')}`;
    case 'Started':
      return `snapshot ${d.datasetId}@${d.datasetVersion}: ${count(Number(d.rowCount))} labeled predictions of the drifted range (labels known by ${new Date(Number(d.labelCutoffMs)).toISOString()}), ${count(Number(d.holdoutRows))} held out; sha256 ${String(d.snapshotSha256).slice(0, 12)}…  → training`;
    case 'RunLinked':
      return `trained (logistic regression, TypeScript) in run ${d.runId}`;
    case 'VersionRegistered':
      return `registered v${d.version} → @challenger`;
    case 'Evaluated':
      return `evaluated on the same ${count(Number(d.labeled))} hold-out rows: challenger ${fixed(Number(d.challengerAccuracy), 3)} vs champion ${fixed(Number(d.championAccuracy), 3)}, McNemar p=${Number(d.pValue).toPrecision(3)} → ${String(d.decision).toUpperCase()}`;
    case 'Promoted':
      return `promoted v${d.version} to Production (v${d.previousVersion} archived) → @champion`;
    default:
      return `${e.event}: ${String(d.reason ?? d.step ?? '')}`;
  }
}

/**
 * Step (`--loop`): the orchestrator takes the RetrainRequested from here.
 * Follows the job through `GET /v1/models/{m}/retrain-jobs`, then serves more
 * shifted traffic with the promoted model (read from the artifact store) and
 * measures its accuracy on the labels, beside the champion's before and after the shift.
 */
export async function closeTheLoop(client: MlstreamClient, http: Http, o: ResolvedDemoOptions, plan: StreamPlan, stream: StreamResult, servedVersion: number, print: (line: string) => void): Promise<LoopReport> {
  const deadline = Date.now() + o.settleTimeoutMs * 3;
  let shown = 0;
  let job: RetrainJobRow | undefined;
  while (Date.now() < deadline) {
    const answer = await http.request<{ jobs: RetrainJobRow[] }>('GET', `/v1/models/${encodeURIComponent(o.model)}/retrain-jobs`);
    job = answer.jobs.find((j) => j.events[0]?.version === servedVersion) ?? answer.jobs[0];
    for (const e of job?.events.slice(shown) ?? []) print(`  ${eventLine(e)}`);
    shown = job?.events.length ?? 0;
    if (job && FINISHED.has(job.state)) break;
    await sleep(500);
  }
  if (!job) throw new DemoError(`no retrain job for ${o.model} within ${Math.round((o.settleTimeoutMs * 3) / 1000)} s — is the orchestrator running (npm start runs it on port 18206)?`);
  if (!FINISHED.has(job.state)) throw new DemoError(`the retrain job ${job.jobId} is still at ${job.state} after ${Math.round((o.settleTimeoutMs * 3) / 1000)} s`);
  const rate = (c: LabeledCount) => (c.labeled ? c.correct / c.labeled : null);
  const accuracy: LoopReport['accuracy'] = { ...stream.accuracy, afterPromotion: null };
  let promotedVersion: number | null = null;
  if (job.state === 'Promoted') {
    const registered = job.events.find((e) => e.event === 'VersionRegistered')!.detail as { version: number; artifactUri: string };
    promotedVersion = registered.version;
    const model = parseLogisticModel(await readFile(fileURLToPath(registered.artifactUri), 'utf8'));
    const served = 2 * plan.windowSize;
    print(`  serving ${count(served)} more shifted requests with v${promotedVersion} (the model file from the artifact store), labels as before`);
    // The same seeded world, continued past what was streamed: still shifted.
    const traffic = servingTraffic({ seed: o.seed, requestPrefix: `${o.model}-v${servedVersion}`, shiftAt: plan.shiftAt });
    for (let i = 0; i < stream.predictions; i++) traffic.next();
    const after: LabeledCount = { labeled: 0, correct: 0 };
    const started = Date.now();
    for (let i = 0; i < served; i++) {
      const r = traffic.next();
      const p = predictLogistic(model, r.features);
      await client.predictions.log({ requestId: r.requestId, model: o.model, version: promotedVersion, ...r.features, prediction: p.label, probabilities: { [model.classes[1]]: p.probability, [model.classes[0]]: 1 - p.probability }, latencyMs: r.latencyMs, error: null });
      if (r.label) {
        await client.feedback.log({ requestId: r.requestId, model: o.model, label: r.label });
        after.labeled += 1;
        if (p.label === r.label) after.correct += 1;
      }
      const due = started + ((i + 1) / o.rate) * 1000;
      if (due - Date.now() > 5) await sleep(due - Date.now());
    }
    await client.flush();
    accuracy.afterPromotion = after;
  }
  print('');
  print(`  Closing the loop (${o.model}): accuracy of the served model on labeled traffic`);
  for (const line of table(
    ['traffic', 'served by', 'labeled', 'accuracy'],
    [
      ['before the shift', `v${servedVersion} (champion)`, accuracy.beforeShift.labeled, percent(rate(accuracy.beforeShift), 1)],
      ['after the shift', `v${servedVersion} (champion)`, accuracy.afterShift.labeled, percent(rate(accuracy.afterShift), 1)],
      ...(accuracy.afterPromotion ? [['after the automatic promotion', `v${promotedVersion} (retrained)`, accuracy.afterPromotion.labeled, percent(rate(accuracy.afterPromotion), 1)] as Array<string | number>] : []),
    ],
  ))
    print(`  ${line}`);
  return { job, promotedVersion, accuracy };
}
