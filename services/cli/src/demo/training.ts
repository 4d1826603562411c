import { profileDataset, type Http, type MlstreamClient } from '@mlstream/sdk';
import { contentSha256, demoFeatures, learningCurve, trainingRows, trials } from './data.ts';
import { fixed, table } from './format.ts';
import type { ResolvedDemoOptions } from './options.ts';
import { explainCommandFailure, settle } from './platform.ts';

export interface Coordinates {
  topic: string;
  partition: number;
  offset: string;
}

export interface IngestedDataset {
  datasetId: string;
  version: string;
  contentSha256: string;
  rowCount: number;
  coordinates: Coordinates;
}

/** Step: the training dataset version, with the profile the drift detector can use as its reference. */
export async function ingestDataset(client: MlstreamClient, o: ResolvedDemoOptions, print: (line: string) => void): Promise<IngestedDataset> {
  const rows = trainingRows(o.seed, o.trainingRows);
  const { features, profile } = profileDataset(rows, { bins: 10, topK: 20 });
  const sha = contentSha256(rows);
  const churnShare = rows.filter((r) => r.label === 'churn').length / rows.length;
  const accepted = await client.datasets.publishVersion(o.datasetId, {
    version: o.datasetVersion,
    uri: `file://demo/${o.datasetId}/${o.datasetVersion}.jsonl`,
    contentSha256: sha,
    rowCount: rows.length,
    features,
    profile,
    validation: {
      passed: true,
      checks: [
        { name: 'no_nulls', passed: true, detail: `${features.length} features, 0 nulls` },
        { name: 'label_balance', passed: churnShare > 0.1 && churnShare < 0.9, detail: `churn share ${fixed(churnShare, 3)}` },
      ],
    },
    tags: { source: 'mlstream demo', seed: String(o.seed) },
  });
  print(`dataset ${o.datasetId}@${o.datasetVersion}: ${rows.length.toLocaleString('en-US')} rows, features ${[...demoFeatures.numeric, ...demoFeatures.categorical].join(', ')}, churn share ${fixed(churnShare, 3)}`);
  print(`  sha256 ${sha}  profile of ${profile.length} features  → ${accepted.topic}[${accepted.partition}]@${accepted.offset}`);
  return { datasetId: o.datasetId, version: o.datasetVersion, contentSha256: sha, rowCount: rows.length, coordinates: { topic: accepted.topic, partition: accepted.partition, offset: String(accepted.offset) } };
}

export interface TrainedRun {
  runId: string;
  name: string;
  params: Record<string, number>;
  finalValAuc: number;
}

/** Step: three runs with metric curves, each logging the dataset as its training input. */
export async function trainRuns(client: MlstreamClient, o: ResolvedDemoOptions, dataset: IngestedDataset, print: (line: string) => void): Promise<TrainedRun[]> {
  const runs: TrainedRun[] = [];
  try {
    for (const trial of trials) {
      const run = await client.runs.start({ experiment: o.experiment, name: trial.name, tags: { team: 'growth', demo: o.tag }, codeVersion: `demo@seed${o.seed}` });
      await run.logParams(trial.params);
      await run.logInputs([{ datasetId: dataset.datasetId, version: dataset.version, context: 'training' }]);
      const curve = learningCurve(o.seed, trial, o.epochs);
      for (const epoch of curve) {
        await run.logMetrics({ train_loss: epoch.train_loss, val_loss: epoch.val_loss, val_auc: epoch.val_auc }, { step: epoch.step });
      }
      await run.logArtifact({ name: 'model', uri: `file://demo/models/${o.model}/${trial.name}.pkl` });
      await run.finish('FINISHED');
      const last = curve[curve.length - 1]!;
      runs.push({ runId: run.runId, name: trial.name, params: trial.params, finalValAuc: last.val_auc });
      const sparkline = curve.filter((_, i) => i % Math.max(1, Math.floor(curve.length / 6)) === 0 || i === curve.length - 1).map((e) => fixed(e.val_auc, 2));
      print(`run ${run.runId}  ${trial.name.padEnd(12)} lr=${trial.params.learning_rate} depth=${trial.params.max_depth}  val_auc ${sparkline.join(' → ')}  (${curve.length} epochs × 3 metrics)`);
    }
  } catch (error) {
    throw explainCommandFailure(error, 'tracking');
  }
  return runs;
}

export interface Promotion {
  version: number;
  best: TrainedRun;
  searched: Array<{ runId: string; name: string; valAuc: number | null }>;
}

interface SearchAnswer {
  runs: Array<{ runId: string; name: string; status: string; metrics: Record<string, number> }>;
}

/**
 * Step: pick the best run from the read model (MLflow-style run search over
 * ClickHouse), register it, and promote it through Staging to Production
 * behind a gate on its validation AUC.
 */
export async function promoteBest(client: MlstreamClient, http: Http, o: ResolvedDemoOptions, runs: TrainedRun[], print: (line: string) => void): Promise<Promotion> {
  const answer = await settle(
    async () => {
      const found = await http.request<SearchAnswer>('POST', '/v1/runs/search', { body: { experiments: [o.experiment], orderBy: ['metrics.val_auc DESC'], maxResults: 10 } });
      // Wait for the whole runs: finished, and their last val_auc materialized.
      const complete = runs.every((run) => found.runs.some((r) => r.runId === run.runId && r.status === 'FINISHED' && Math.abs((r.metrics.val_auc ?? NaN) - run.finalValAuc) < 1e-9));
      return complete ? found : undefined;
    },
    `the ${runs.length} runs in ClickHouse (run search) — is the materializer running?`,
    o.settleTimeoutMs,
    300,
  );
  const searched = answer.runs.map((r) => ({ runId: r.runId, name: r.name, valAuc: r.metrics.val_auc ?? null }));
  for (const line of table(
    ['run (POST /v1/runs/search, metrics.val_auc DESC)', 'name', 'val_auc'],
    searched.map((r) => [r.runId, r.name, fixed(r.valAuc, 4)]),
  ))
    print(`  ${line}`);
  const best = runs.find((r) => r.runId === searched[0]!.runId)!;
  try {
    const registered = await client.models.register(o.model, { runId: best.runId, artifactUri: `file://demo/models/${o.model}/${best.name}.pkl`, description: `churn model from run ${best.name}`, tags: { demo: o.tag }, reason: 'best val_auc of the experiment' });
    const version = registered.version;
    print(`registered ${o.model} v${version} from run ${best.name} (val_auc ${fixed(best.finalValAuc, 4)})`);
    await client.models.transition(o.model, version, 'STAGING', { reason: 'offline metrics look good' });
    print(`  DEVELOPMENT → STAGING`);
    await client.models.transition(o.model, version, 'PRODUCTION', { gate: { metric: 'val_auc', comparator: 'GTE', threshold: o.gateThreshold }, reason: `gate: val_auc >= ${o.gateThreshold}` });
    print(`  STAGING → PRODUCTION behind the gate val_auc ${fixed(best.finalValAuc, 4)} ≥ ${o.gateThreshold}: passed`);
    await client.models.setAlias(o.model, 'champion', version, { reason: 'promoted to production' });
    print(`  @champion → v${version}`);
    return { version, best, searched };
  } catch (error) {
    throw explainCommandFailure(error, 'registry');
  }
}
