import { createKafka, createLogger, createSchemaRegistryClient, createSerde, loadConnections, readTopic, resolveCatalog, type DecodedEvent, type RecordName } from '@mlstream/kit';
import { loadDetectorConfig } from '@mlstream/drift-detector';
import { runDecider } from '@mlstream/tracking';
import { createDataValidationFacts, modelDecider, registryAt, type RecordedEvent } from '@mlstream/registry';
import { auditValidations } from '@mlstream/validator';
import { auditCommands, auditDriftFromLog, lineageLines, lineageOf, type AuditFinding } from '../audit/index.ts';

function context() {
  const connections = loadConnections();
  const logger = createLogger({ service: 'cli', level: 'warn' });
  const catalog = resolveCatalog(connections.topicPrefix);
  const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: 'mlstream-audit', logger });
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/cli' });
  const progress = (topic: string) => (n: number) => process.stderr.write(`\rmlstream: reading ${topic}: ${n.toLocaleString('en-US')} records`);
  const read = async (stream: Parameters<typeof catalog.topic>[0]) => {
    const started = Date.now();
    const events = await readTopic(kafka, serde, catalog.topic(stream), progress(catalog.topic(stream)));
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`\rmlstream: read ${events.length.toLocaleString('en-US')} records of ${catalog.topic(stream)} in ${seconds.toFixed(1)} s (${Math.round(events.length / Math.max(seconds, 0.001)).toLocaleString('en-US')}/s)\n`);
    return events;
  };
  return { catalog, serde, read };
}

const time = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(n)) throw new TypeError(`not a time: ${JSON.stringify(text)} (use ISO-8601 or epoch ms)`);
  return n;
};

function printFindings(findings: AuditFinding[]): void {
  for (const f of findings) console.log(`${f.kind.toUpperCase().padEnd(10)} ${f.type.padEnd(18)} ${f.eventId}  ${f.detail}`);
}

export async function auditDriftCommand(options: { model: string; from?: string; to?: string; json?: boolean }): Promise<void> {
  const { read } = context();
  const report = await auditDriftFromLog(read, { model: options.model, configOf: loadDetectorConfig(), from: time(options.from), to: time(options.to) });
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`drift audit of ${report.model}: ${report.predictions} predictions, ${report.recorded} recorded decisions, ${report.recomputed} recomputed, ${report.matched} identical, ${report.pending} not yet published`);
    printFindings(report.findings);
    console.log(report.findings.length ? `${report.findings.length} decision(s) could not be reproduced` : 'every recorded decision was reproduced');
    console.log(`(${report.note})`);
  }
  if (report.findings.length) process.exitCode = 1;
}

/** Final metric values per run, folded from MetricsLogged (highest step, then latest timestamp). */
function finalMetrics(events: DecodedEvent[]) {
  const runs = new Map<string, Map<string, { value: number; step: number; timestamp: number }>>();
  for (const e of events) {
    if (e.type !== 'MetricsLogged') continue;
    const m = runs.get(e.value.runId) ?? new Map();
    for (const x of e.value.metrics) {
      const seen = m.get(x.key);
      const step = x.step ?? 0;
      if (!seen || step > seen.step || (step === seen.step && x.timestamp >= seen.timestamp)) m.set(x.key, { value: x.value, step, timestamp: x.timestamp });
    }
    runs.set(e.value.runId, m);
  }
  return { runMetrics: (runId: string) => (runs.has(runId) ? Object.fromEntries([...runs.get(runId)!].map(([k, v]) => [k, v.value])) : undefined) };
}

/** Final metrics, run inputs and dataset validations: what the registry's gates read (metric and validatedData gates). */
function gateFacts(runs: DecodedEvent[], validations: DecodedEvent[]) {
  const data = createDataValidationFacts();
  for (const e of runs) if (e.type === 'InputsLogged') data.addInputs(e.value);
  for (const e of validations) if (e.type === 'DatasetValidated') data.addValidation(e.value);
  return { ...finalMetrics(runs), runInputs: data.runInputs, datasetValidation: data.datasetValidation };
}

export async function auditAggregateCommand(aggregate: 'runs' | 'registry', options: { at?: string; json?: boolean }): Promise<void> {
  const { catalog, serde, read } = context();
  const fullName = (type: RecordName) => serde.typeOf(type).name!;
  if (aggregate === 'registry' && options.at) {
    const match = /^(\d+):(\d+)$/.exec(options.at);
    const cut = match ? { offset: { partition: Number(match[1]), offset: match[2]! } } : { time: time(options.at) };
    const events = await read('registry');
    const state = registryAt(events.map((e) => ({ event: e, topic: e.topic, partition: e.partition, offset: e.offset }) as RecordedEvent), cut);
    if (options.json) console.log(JSON.stringify(state, null, 2));
    else
      for (const m of state) {
        console.log(`${m.model}`);
        for (const v of m.versions) console.log(`  v${v.version}  ${v.stage.padEnd(11)} by ${v.stageSetBy} at ${new Date(v.stageSetAt).toISOString()}${v.stageReason ? ` (${v.stageReason})` : ''}  run ${v.runId ?? '-'}  [${v.stageEvent.topic}[${v.stageEvent.partition}]@${v.stageEvent.offset}]`);
        for (const [alias, a] of Object.entries(m.aliases)) console.log(`  @${alias} → v${a.version} by ${a.setBy}`);
      }
    return;
  }
  const results = await read('command-results');
  const report =
    aggregate === 'runs'
      ? auditCommands(runDecider, await read('runs.commands'), await read('runs'), results, fullName, catalog.topic('runs'))
      : auditCommands(modelDecider, await read('registry.commands'), await read('registry'), results, fullName, catalog.topic('registry'), ((ctx) => () => ctx)(gateFacts(await read('runs'), await read('validation'))));
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`${aggregate} audit: ${report.commands} commands; events ${report.events.matched}/${report.events.recorded} identical (${report.events.recomputed} recomputed); results ${report.results.matched}/${report.results.recorded} identical (${report.results.recomputed} recomputed)`);
    printFindings(report.findings);
    console.log(report.findings.length ? `${report.findings.length} record(s) could not be reproduced` : 'every recorded event and result was reproduced');
  }
  if (report.findings.length) process.exitCode = 1;
}

export async function auditLineageCommand(options: { model: string; version: string; json?: boolean }): Promise<void> {
  const version = Number(options.version);
  if (!Number.isInteger(version) || version < 1) throw new TypeError(`--version must be a model version number, got ${JSON.stringify(options.version)}`);
  const { read } = context();
  const lineage = lineageOf(options.model, version, await read('registry'), await read('runs'), await read('ingestion'), await read('artifacts'));
  if (options.json) {
    console.log(JSON.stringify(lineage, null, 2));
    return;
  }
  for (const line of lineageLines(lineage)) console.log(line);
  if (!lineage.registered) process.exitCode = 1;
}

/** `mlstream audit validation`: re-runs the platform's dataset validation over the log (docs/data-quality.md). */
export async function auditValidationCommand(options: { json?: boolean }): Promise<void> {
  const { read } = context();
  const ingestions = (await read('ingestion')).flatMap((e) => (e.type === 'DatasetVersionIngested' ? [{ event: e.value, partition: e.partition, offset: Number(e.offset) }] : []));
  const suites = (await read('expectations')).flatMap((e) => (e.type === 'ExpectationSuiteDeclared' ? [e.value] : []));
  const recorded = (await read('validation')).flatMap((e) => (e.type === 'DatasetValidated' ? [e.value] : []));
  const report = auditValidations({ ingestions, suites, recorded });
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`validation audit: ${report.ingested} dataset versions, ${report.recorded} recorded validations, ${report.matched} identical`);
    for (const f of report.findings) console.log(`${f.kind.toUpperCase().padEnd(12)} ${f.datasetId}@${f.version} ${f.eventId}  ${f.detail}`);
    console.log(report.findings.length ? `${report.findings.length} validation(s) could not be reproduced` : 'every recorded validation was reproduced');
  }
  if (report.findings.length) process.exitCode = 1;
}
