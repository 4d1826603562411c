import { join, lit, sql, type Sql } from '../sql/index.ts';
import { checkText, dbOf, num, numOrNull, select, type AnalyticsDeps } from './common.ts';

/** Where a fact sits in Kafka: the start of every lineage link. */
export interface Coordinates {
  topic: string;
  partition: number;
  offset: number;
}

export interface StageChange {
  fromStage: string | null;
  toStage: string;
  at: number;
  actor: string;
  reason: string;
  gate: { metric: string; passed: boolean; candidate: number | null; threshold: number | null } | null;
  source: Coordinates;
}

export interface DatasetLink {
  datasetId: string;
  version: string;
  context: string;
  /** Null when the dataset version was never ingested (lineage gap). */
  contentSha256: string | null;
  uri: string | null;
  rowCount: number | null;
  source: Coordinates | null;
}

export interface ModelVersionView {
  model: string;
  version: number;
  currentStage: string;
  aliases: string[];
  registeredAt: number;
  registeredBy: string;
  artifactUri: string;
  description: string;
  stageHistory: StageChange[];
  lineage: {
    runId: string | null;
    run: { experiment: string; name: string; status: string; codeVersion: string; params: Record<string, string>; metrics: Record<string, number> } | null;
    datasets: DatasetLink[];
  };
  source: Coordinates;
}

type Coord = { _topic: string; _partition: number; _offset: string };
const coordinates = (r: Coord): Coordinates => ({ topic: r._topic, partition: num(r._partition), offset: num(r._offset) });

/** Pure: the queries behind modelVersions (run-side ones take the run ids found by the first). */
export const modelVersionsSql = (db: Sql, model: string) => ({
  // Deleted versions, and versions registered before the model's latest deletion, are gone (MLflow's delete semantics).
  versions: sql`SELECT version, run_id, artifact_uri, description, actor, occurred_ms, _topic, _partition, _offset FROM ${db}.model_versions WHERE model = ${model} AND version NOT IN (SELECT version FROM ${db}.model_version_changes WHERE model = ${model} AND event = 'Deleted') AND toInt64(_offset) > (SELECT if(count() = 0, toInt64(-1), toInt64(max(_offset))) FROM ${db}.registered_models WHERE model = ${model} AND event = 'Deleted') ORDER BY version`,
  descriptions: sql`SELECT version, argMax(description, _offset) AS d FROM ${db}.model_version_changes WHERE model = ${model} AND event = 'Updated' GROUP BY version`,
  stages: sql`SELECT version, from_stage, to_stage, occurred_ms, actor, reason, gate_metric, gate_passed, gate_candidate, gate_threshold, _topic, _partition, _offset FROM ${db}.stage_history WHERE model = ${model} ORDER BY version, occurred_ms, _offset`,
  aliases: sql`SELECT alias, argMax(action, _offset) AS last_action, argMax(version, _offset) AS last_version FROM ${db}.aliases WHERE model = ${model} GROUP BY alias`,
  runs: (ids: Sql) => sql`SELECT run_id, experiment, name, status, code_version FROM ${db}.runs FINAL WHERE run_id IN (${ids})`,
  params: (ids: Sql) => sql`SELECT run_id, key, any(value) AS v FROM ${db}.run_params WHERE run_id IN (${ids}) GROUP BY run_id, key`,
  metrics: (ids: Sql) => sql`SELECT run_id, key, argMax(value, (step, ts_ms, _offset)) AS v FROM ${db}.run_metrics WHERE run_id IN (${ids}) GROUP BY run_id, key`,
  inputs: (ids: Sql) =>
    sql`SELECT run_id, dataset_id, dataset_version, context, content_sha256, uri, row_count, d_topic, d_partition, d_offset FROM (SELECT run_id, dataset_id, dataset_version, context FROM ${db}.run_inputs WHERE run_id IN (${ids})) AS i ANY LEFT JOIN (SELECT dataset_id, version AS dataset_version, content_sha256, uri, row_count, _topic AS d_topic, _partition AS d_partition, _offset AS d_offset FROM ${db}.datasets) AS d USING (dataset_id, dataset_version)`,
});

/** Every version of a model with its current stage, aliases, stage history and lineage down to dataset bytes. */
export async function modelVersions(deps: AnalyticsDeps, input: { model: string }): Promise<ModelVersionView[]> {
  const db = dbOf(deps);
  const model = checkText(input.model, 'model');
  const q = modelVersionsSql(db, model);
  const [versions, stages, aliases, descriptions] = await Promise.all([
    select<Coord & { version: number; run_id: string; artifact_uri: string; description: string; actor: string; occurred_ms: string }>(deps, q.versions),
    select<Coord & { version: number; from_stage: string; to_stage: string; occurred_ms: string; actor: string; reason: string; gate_metric: string; gate_passed: number | null; gate_candidate: number | null; gate_threshold: number | null }>(deps, q.stages),
    select<{ alias: string; last_action: string; last_version: number }>(deps, q.aliases),
    select<{ version: number; d: string }>(deps, q.descriptions),
  ]);
  const runIds = [...new Set(versions.map((v) => v.run_id).filter((id) => id))];
  const ids = join(runIds.map((id) => lit(id)), ', ');
  const [runs, params, metrics, inputs] = runIds.length
    ? await Promise.all([
        select<{ run_id: string; experiment: string; name: string; status: string; code_version: string }>(deps, q.runs(ids)),
        select<{ run_id: string; key: string; v: string }>(deps, q.params(ids)),
        select<{ run_id: string; key: string; v: number }>(deps, q.metrics(ids)),
        select<{ run_id: string; dataset_id: string; dataset_version: string; context: string; content_sha256: string; uri: string; row_count: string; d_topic: string; d_partition: number; d_offset: string }>(
          deps,
          q.inputs(ids),
          { join_use_nulls: '1' },
        ),
      ])
    : [[], [], [], []];
  const kv = <V>(list: Array<{ run_id: string; key: string; v: V }>, id: string) => Object.fromEntries(list.filter((x) => x.run_id === id).map((x) => [x.key, x.v]));
  return versions.map((v) => {
    const version = num(v.version);
    const history = stages.filter((s) => num(s.version) === version);
    const run = runs.find((r) => r.run_id === v.run_id);
    return {
      model,
      version,
      currentStage: history[history.length - 1]?.to_stage ?? 'DEVELOPMENT',
      aliases: aliases.filter((a) => a.last_action === 'SET' && num(a.last_version) === version).map((a) => a.alias).sort(),
      registeredAt: num(v.occurred_ms),
      registeredBy: v.actor,
      artifactUri: v.artifact_uri,
      description: descriptions.find((d) => num(d.version) === version)?.d ?? v.description,
      stageHistory: history.map((s) => ({
        fromStage: s.from_stage || null,
        toStage: s.to_stage,
        at: num(s.occurred_ms),
        actor: s.actor,
        reason: s.reason,
        gate: s.gate_metric ? { metric: s.gate_metric, passed: s.gate_passed === 1, candidate: numOrNull(s.gate_candidate), threshold: numOrNull(s.gate_threshold) } : null,
        source: coordinates(s),
      })),
      lineage: {
        runId: v.run_id || null,
        run: run ? { experiment: run.experiment, name: run.name, status: run.status, codeVersion: run.code_version, params: kv(params, run.run_id), metrics: kv(metrics, run.run_id) as Record<string, number> } : null,
        datasets: inputs
          .filter((i) => i.run_id === v.run_id)
          .map((i) => ({
            datasetId: i.dataset_id,
            version: i.dataset_version,
            context: i.context,
            contentSha256: i.content_sha256 ?? null,
            uri: i.uri ?? null,
            rowCount: numOrNull(i.row_count),
            source: i.d_topic ? { topic: i.d_topic, partition: num(i.d_partition), offset: num(i.d_offset) } : null,
          })),
      },
      source: coordinates(v),
    };
  });
}
