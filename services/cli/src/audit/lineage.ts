import type { DecodedEvent, FeatureProfile } from '@mlstream/kit';

export interface Coordinates {
  topic: string;
  partition: number;
  offset: string;
}

export interface Lineage {
  model: string;
  version: number;
  registered: { artifactUri: string; artifactSha256: string | null; by: string; at: number; coordinates: Coordinates } | null;
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

/** Model version → run (params, final metrics, code version) → dataset versions, each fact with its Kafka coordinates. */
export function lineageOf(model: string, version: number, registry: DecodedEvent[], runs: DecodedEvent[], ingestion: DecodedEvent[]): Lineage {
  const registeredEvent = registry.find((e) => e.type === 'ModelVersionRegistered' && e.value.model === model && e.value.version === version);
  const registered = registeredEvent?.type === 'ModelVersionRegistered' ? registeredEvent : undefined;
  const runId = registered?.value.runId ?? null;
  const lineage: Lineage = {
    model,
    version,
    registered: registered ? { artifactUri: registered.value.artifactUri, artifactSha256: registered.value.artifactSha256 ?? null, by: registered.value.actor, at: registered.value.occurredAt, coordinates: at(registered) } : null,
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
