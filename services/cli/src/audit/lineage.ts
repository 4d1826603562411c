import type { DecodedEvent, FeatureProfile } from '@mlstream/kit';

export interface Coordinates {
  topic: string;
  partition: number;
  offset: string;
}

/** One blob the artifact store holds (ArtifactStored), as the log records it. */
export interface StoredArtifact {
  path: string;
  sha256: string;
  size: number;
  uri: string;
  by: string;
  at: number;
  coordinates: Coordinates;
}

export interface Lineage {
  model: string;
  version: number;
  registered: { artifactUri: string; artifactSha256: string | null; by: string; at: number; coordinates: Coordinates } | null;
  /** ModelVersionDeleted, when the version was deleted since. */
  deleted: { by: string; at: number; reason: string | null; coordinates: Coordinates } | null;
  /** Artifacts stored for the version's run (the latest upload of each path). */
  runArtifacts: StoredArtifact[];
  /** The MLflow 3 logged model the version's source names (`models:/<id>` or `.../models/<id>/artifacts`), its latest snapshot and artifacts. */
  loggedModel: {
    modelId: string;
    name: string | null;
    status: string | null;
    runId: string | null;
    artifactLocation: string | null;
    /** Coordinates of its latest LoggedModelRecorded; null when the log has none. */
    coordinates: Coordinates | null;
    artifacts: StoredArtifact[];
  } | null;
  run: {
    runId: string;
    experiment: string;
    codeVersion: string | null;
    status: string;
    params: Record<string, { value: string; coordinates: Coordinates }>;
    finalMetrics: Record<string, { value: number; step: number; coordinates: Coordinates }>;
    started: Coordinates;
  } | null;
  datasets: Array<{
    datasetId: string;
    version: string;
    context: string;
    contentSha256: string | null;
    rowCount: number | null;
    features: number | null;
    validationPassed: boolean | null;
    /** One line per profiled feature: numeric mean ± std [min, max]; categorical top categories with their shares. */
    profile: Array<{ feature: string; summary: string }>;
    coordinates: Coordinates | null;
    loggedAt: Coordinates;
  }>;
}

const at = (e: DecodedEvent): Coordinates => ({ topic: e.topic, partition: e.partition, offset: e.offset });

const g = (n: number) => Number(n.toPrecision(4)).toString();

/** A feature profile in one line, for lineage reports. */
export function profileSummary(f: FeatureProfile): string {
  const nulls = f.nulls ? `, ${f.nulls} null` : '';
  if (f.numeric) return `mean ${g(f.numeric.mean)} ± ${g(f.numeric.std)} [${g(f.numeric.min)}, ${g(f.numeric.max)}]${nulls}`;
  if (f.categorical) {
    const total = Object.values(f.categorical.counts).reduce((s, c) => s + c, 0) + f.categorical.otherCount;
    const top = Object.entries(f.categorical.counts).sort((a, b) => b[1] - a[1]).slice(0, 3);
    const rest = Object.keys(f.categorical.counts).length - top.length;
    return `${top.map(([c, n]) => `${c} ${Math.round((100 * n) / total)}%`).join(', ')}${rest > 0 ? ` (+${rest} more)` : ''}${f.categorical.otherCount ? `, other ${Math.round((100 * f.categorical.otherCount) / total)}%` : ''}${nulls}`;
  }
  return `${f.count} values${nulls}`;
}

/**
 * The logged-model id a model version's source names: `models:/<id>` (an
 * MLflow 3 logged model, not `models:/<name>/<version>` nor `models:/<name>@<alias>`)
 * or an mlflow-artifacts location `.../<experiment>/models/<id>/artifacts[/...]`.
 */
export function loggedModelIdOf(source: string): string | null {
  const direct = /^models:\/([^/@]+)\/?$/.exec(source);
  if (direct) return direct[1]!;
  const located = /^mlflow-artifacts:(?:\/\/[^/]*)?\/[^/]+\/models\/([^/]+)\/artifacts(?:\/|$)/.exec(source);
  return located ? located[1]! : null;
}

/** The latest upload of each path among `events` that `owns` accepts, by path. */
function storedArtifacts(events: readonly DecodedEvent[], owns: (a: { runId?: string | null; loggedModelId?: string | null }) => boolean): StoredArtifact[] {
  const byPath = new Map<string, StoredArtifact>();
  for (const e of events) {
    if (e.type !== 'ArtifactStored' || !owns(e.value)) continue;
    const v = e.value;
    byPath.set(v.path, { path: v.path, sha256: v.sha256, size: v.size, uri: v.uri, by: v.actor, at: v.occurredAt, coordinates: at(e) });
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** Model version → run (params, final metrics, code version, artifacts) → dataset versions, and its logged model; each fact with its Kafka coordinates. */
export function lineageOf(model: string, version: number, registry: DecodedEvent[], runs: DecodedEvent[], ingestion: DecodedEvent[], artifacts: DecodedEvent[] = []): Lineage {
  const registeredEvent = registry.find((e) => e.type === 'ModelVersionRegistered' && e.value.model === model && e.value.version === version);
  const registered = registeredEvent?.type === 'ModelVersionRegistered' ? registeredEvent : undefined;
  const deletedEvent = registry.findLast((e) => e.type === 'ModelVersionDeleted' && e.value.model === model && e.value.version === version);
  const deleted = deletedEvent?.type === 'ModelVersionDeleted' ? deletedEvent : undefined;
  const modelId = registered ? loggedModelIdOf(registered.value.artifactUri) : null;
  let loggedModel: Lineage['loggedModel'] = null;
  if (modelId) {
    const snapshot = artifacts.findLast((e) => e.type === 'LoggedModelRecorded' && e.value.modelId === modelId);
    const s = snapshot?.type === 'LoggedModelRecorded' ? snapshot : undefined;
    loggedModel = {
      modelId,
      name: s?.value.name ?? null,
      status: s?.value.status ?? null,
      runId: s?.value.runId ?? null,
      artifactLocation: s?.value.artifactLocation ?? null,
      coordinates: s ? at(s) : null,
      artifacts: storedArtifacts(artifacts, (a) => a.loggedModelId === modelId),
    };
  }
  // MLflow 3 may register a logged model without naming the run: the logged model knows it.
  const runId = registered?.value.runId ?? loggedModel?.runId ?? null;
  const lineage: Lineage = {
    model,
    version,
    registered: registered ? { artifactUri: registered.value.artifactUri, artifactSha256: registered.value.artifactSha256 ?? null, by: registered.value.actor, at: registered.value.occurredAt, coordinates: at(registered) } : null,
    deleted: deleted ? { by: deleted.value.actor, at: deleted.value.occurredAt, reason: deleted.value.reason ?? null, coordinates: at(deleted) } : null,
    runArtifacts: runId ? storedArtifacts(artifacts, (a) => a.runId === runId) : [],
    loggedModel,
    run: null,
    datasets: [],
  };
  if (!runId) return lineage;
  const mine = runs.filter((e) => (e.value as { runId?: string }).runId === runId);
  const started = mine.find((e) => e.type === 'RunStarted');
  if (started?.type !== 'RunStarted') return lineage;
  const run: NonNullable<Lineage['run']> = { runId, experiment: started.value.experiment, codeVersion: started.value.codeVersion ?? null, status: 'RUNNING', params: {}, finalMetrics: {}, started: at(started) };
  const inputs: Array<{ datasetId: string; version: string; context: string; loggedAt: Coordinates }> = [];
  for (const e of mine) {
    if (e.type === 'ParamsLogged') for (const [k, v] of Object.entries(e.value.params)) run.params[k] = { value: v, coordinates: at(e) };
    if (e.type === 'MetricsLogged')
      for (const m of e.value.metrics) {
        const seen = run.finalMetrics[m.key];
        if (!seen || (m.step ?? 0) >= seen.step) run.finalMetrics[m.key] = { value: m.value, step: m.step ?? 0, coordinates: at(e) };
      }
    if (e.type === 'InputsLogged') for (const i of e.value.inputs) inputs.push({ ...i, loggedAt: at(e) });
    if (e.type === 'RunFinished') run.status = e.value.status;
  }
  lineage.run = run;
  lineage.datasets = inputs.map((input) => {
    const dataset = ingestion.find((e) => e.type === 'DatasetVersionIngested' && e.value.datasetId === input.datasetId && e.value.version === input.version);
    const d = dataset?.type === 'DatasetVersionIngested' ? dataset : undefined;
    return {
      datasetId: input.datasetId,
      version: input.version,
      context: input.context,
      contentSha256: d?.value.contentSha256 ?? null,
      rowCount: d?.value.rowCount ?? null,
      features: d?.value.features.length ?? null,
      validationPassed: d?.value.validation.passed ?? null,
      profile: (d?.value.profile ?? []).map((f) => ({ feature: f.name, summary: profileSummary(f) })),
      coordinates: d ? at(d) : null,
      loggedAt: input.loggedAt,
    };
  });
  return lineage;
}

const where = (x: Coordinates | null) => (x ? `[${x.topic}[${x.partition}]@${x.offset}]` : '[not in the log]');
const artifactLine = (a: StoredArtifact) => `    artifact ${a.path}  ${a.size} B  sha256 ${a.sha256}  ${a.uri} ${where(a.coordinates)}`;

/** The text form of a lineage report, one line per fact (the JSON form is the Lineage itself). */
export function lineageLines(lineage: Lineage): string[] {
  const { model, version } = lineage;
  if (!lineage.registered) return [`${model} v${version}: not registered`];
  const r0 = lineage.registered;
  const lines = [`${model} v${version}  ${r0.artifactUri}  registered by ${r0.by} at ${new Date(r0.at).toISOString()} ${where(r0.coordinates)}`];
  const d = lineage.deleted;
  if (d) lines.push(`  DELETED by ${d.by} at ${new Date(d.at).toISOString()}${d.reason ? ` (${d.reason})` : ''} ${where(d.coordinates)}`);
  const lm = lineage.loggedModel;
  if (lm) {
    lines.push(lm.coordinates ? `  logged model ${lm.modelId} "${lm.name}" ${lm.status} (run ${lm.runId ?? '-'}) at ${lm.artifactLocation} ${where(lm.coordinates)}` : `  logged model ${lm.modelId}: no LoggedModelRecorded in the log`);
    for (const a of lm.artifacts) lines.push(artifactLine(a));
  }
  const r = lineage.run;
  if (!r) {
    lines.push('  run: none recorded');
    return lines;
  }
  lines.push(`  run ${r.runId} (${r.experiment}, ${r.status}, code ${r.codeVersion ?? '-'}) ${where(r.started)}`);
  for (const [k, p] of Object.entries(r.params)) lines.push(`    param  ${k} = ${p.value} ${where(p.coordinates)}`);
  for (const [k, m] of Object.entries(r.finalMetrics)) lines.push(`    metric ${k} = ${m.value} (step ${m.step}) ${where(m.coordinates)}`);
  for (const a of lineage.runArtifacts) lines.push(artifactLine(a));
  for (const ds of lineage.datasets) {
    lines.push(`  dataset ${ds.datasetId}@${ds.version} (${ds.context}) sha256 ${ds.contentSha256 ?? '?'} rows ${ds.rowCount ?? '?'} features ${ds.features ?? '?'} validation ${ds.validationPassed === null ? '?' : ds.validationPassed ? 'passed' : 'FAILED'} ${where(ds.coordinates)}`);
    for (const p of ds.profile) lines.push(`    profile ${p.feature}: ${p.summary}`);
  }
  return lines;
}
