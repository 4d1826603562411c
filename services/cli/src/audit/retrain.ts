import { createLocalArtifactStore, type DecodedEvent, type RecordTypes } from '@mlstream/kit';
import { evaluateOnHoldout, parseSnapshot, type PromotionPolicy } from '@mlstream/orchestrator';
import type { AuditFinding } from './drift.ts';

export interface RetrainAuditReport {
  jobs: number;
  /** Recorded evaluations recomputed from the snapshot and the challenger's artifact, numbers and decision identical. */
  reproduced: number;
  findings: AuditFinding[];
}

const readBlob = async (store: ReturnType<typeof createLocalArtifactStore>, sha256: string) => {
  const blob = await store.open(sha256);
  const chunks: Buffer[] = [];
  for await (const c of blob.stream() as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
};

const sha256Of = (uri: string) => /([0-9a-f]{64})$/.exec(uri)?.[1];

/**
 * Re-decides every recorded challenger evaluation: reads the job's snapshot
 * (verified against its sha256) and the challenger's model from the artifact
 * store, scores the hold-out rows again with the policy recorded in the event,
 * and compares numbers and decision; then checks that what followed (promoted
 * or rejected) is what the decision said.
 */
export async function auditRetrainJobs(input: { jobEvents: DecodedEvent[]; artifactRoot: string; policyOf?: (e: RecordTypes['RetrainJobEvaluated']) => PromotionPolicy }): Promise<RetrainAuditReport> {
  const store = createLocalArtifactStore({ root: input.artifactRoot });
  const byJob = new Map<string, DecodedEvent[]>();
  for (const e of input.jobEvents) if (e.type.startsWith('RetrainJob')) byJob.set((e.value as { jobId: string }).jobId, [...(byJob.get((e.value as { jobId: string }).jobId) ?? []), e]);
  const findings: AuditFinding[] = [];
  let reproduced = 0;
  for (const [jobId, events] of byJob) {
    const find = <K extends keyof RecordTypes>(type: K) => events.find((e) => e.type === type)?.value as RecordTypes[K] | undefined;
    const evaluated = find('RetrainJobEvaluated');
    if (!evaluated) continue;
    const started = find('RetrainJobStarted');
    const registered = find('RetrainJobVersionRegistered');
    const modelSha = registered && sha256Of(registered.artifactUri);
    if (!started || !registered || !modelSha) {
      findings.push({ kind: 'missing', type: 'RetrainJobEvaluated', eventId: evaluated.eventId, detail: `job ${jobId}: the snapshot or the challenger's artifact is not named by the log` });
      continue;
    }
    try {
      const rows = parseSnapshot(await readBlob(store, started.snapshotSha256));
      const policy = input.policyOf?.(evaluated) ?? { minLabeled: evaluated.minLabeled, margin: evaluated.margin, alpha: evaluated.alpha };
      const again = evaluateOnHoldout(rows, (await readBlob(store, modelSha)).toString(), policy);
      const recorded = { labeled: evaluated.labeled, championAccuracy: evaluated.championAccuracy, challengerAccuracy: evaluated.challengerAccuracy, b: evaluated.onlyChallengerRight, c: evaluated.onlyChampionRight, pValue: evaluated.pValue, decision: evaluated.decision };
      const recomputed = { labeled: again.labeled, championAccuracy: again.championAccuracy, challengerAccuracy: again.challengerAccuracy, b: again.onlyChallengerRight, c: again.onlyChampionRight, pValue: again.pValue, decision: again.decision };
      if (JSON.stringify(recorded) !== JSON.stringify(recomputed)) {
        findings.push({ kind: 'different', type: 'RetrainJobEvaluated', eventId: evaluated.eventId, detail: `recorded ${JSON.stringify(recorded)} … recomputed ${JSON.stringify(recomputed)}` });
        continue;
      }
    } catch (error) {
      findings.push({ kind: 'missing', type: 'RetrainJobEvaluated', eventId: evaluated.eventId, detail: `job ${jobId}: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    const outcome = events.find((e) => e.type === 'RetrainJobPromoted' || e.type === 'RetrainJobRejected');
    const expected = evaluated.decision === 'promote' ? 'RetrainJobPromoted' : 'RetrainJobRejected';
    if (outcome && outcome.type !== expected) {
      findings.push({ kind: 'different', type: outcome.type, eventId: (outcome.value as { eventId: string }).eventId, detail: `job ${jobId}: the evaluation decided ${evaluated.decision}` });
      continue;
    }
    reproduced += 1;
  }
  return { jobs: byJob.size, reproduced, findings };
}
