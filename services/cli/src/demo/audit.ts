import { createKafka, createLogger, createSchemaRegistryClient, createSerde, loadConnections, readTopic, resolveCatalog, type DecodedEvent, type StreamId } from '@mlstream/kit';
import { loadDetectorConfig } from '@mlstream/drift-detector';
import { auditDriftFromLog, lineageOf, type DriftAuditReport, type Lineage } from '../audit/index.ts';
import { count } from './format.ts';
import type { ResolvedDemoOptions } from './options.ts';

export interface DemoAudit {
  lineage: Lineage;
  drift: DriftAuditReport;
}

/**
 * Step: what `mlstream audit lineage` and `mlstream audit drift` answer,
 * straight from the Kafka log: the production model's chain down to the
 * dataset bytes, and every drift decision recomputed from the predictions.
 */
export async function auditModel(o: ResolvedDemoOptions, version: number, print: (line: string) => void): Promise<DemoAudit> {
  const connections = loadConnections(o.env);
  const catalog = resolveCatalog(connections.topicPrefix);
  const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: 'mlstream-demo-audit', logger: createLogger({ service: 'cli', level: 'warn' }) });
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/cli' });
  // Each topic read once: the lineage and the drift audit share them.
  const topics = new Map<StreamId, Promise<DecodedEvent[]>>();
  const read = (stream: StreamId) => {
    let events = topics.get(stream);
    if (!events) {
      topics.set(stream, (events = readTopic(kafka, serde, catalog.topic(stream))));
      events.catch(() => {}); // read ahead; a failure surfaces where it is awaited
    }
    return events;
  };
  for (const stream of ['registry', 'runs', 'ingestion', 'predictions', 'feedback', 'drift', 'retrain'] as const) void read(stream); // all at once

  const lineage = lineageOf(o.model, version, await read('registry'), await read('runs'), await read('ingestion'));
  const at = (c: { topic: string; partition: number; offset: string } | null) => (c ? `[${c.topic}[${c.partition}]@${c.offset}]` : '[not in the log]');
  print(`lineage of ${o.model} v${version} (mlstream audit lineage):`);
  if (lineage.registered) print(`  ${o.model} v${version}  ${lineage.registered.artifactUri}  registered by ${lineage.registered.by} ${at(lineage.registered.coordinates)}`);
  if (lineage.run) {
    const r = lineage.run;
    print(`  └─ run ${r.runId} (${r.experiment}, ${r.status}, code ${r.codeVersion ?? '-'}) ${at(r.started)}`);
    print(`     params  ${Object.entries(r.params).map(([k, p]) => `${k}=${p.value}`).join(' ')}`);
    print(`     metrics ${Object.entries(r.finalMetrics).map(([k, m]) => `${k}=${m.value} (step ${m.step})`).join(' ')}`);
    for (const d of lineage.datasets) {
      print(`     └─ dataset ${d.datasetId}@${d.version} (${d.context}) sha256 ${d.contentSha256 ?? '?'} rows ${d.rowCount ?? '?'} ${at(d.coordinates)}`);
      for (const p of d.profile) print(`        profile ${p.feature.padEnd(16)} ${p.summary}`);
    }
  }

  // As `mlstream audit drift` does: labels where the recorded windows joined them, references from the lineage.
  const report = await auditDriftFromLog(read, { model: o.model, configOf: loadDetectorConfig(o.env) });
  print(`drift audit (mlstream audit drift): ${count(report.predictions)} predictions replayed, ${report.recorded} recorded decisions, ${report.matched} reproduced${report.pending ? `, ${report.pending} not yet published` : ''}, ${report.findings.length} findings`);
  for (const f of report.findings) print(`  ${f.kind.toUpperCase()} ${f.type} ${f.eventId}: ${f.detail}`);
  return { lineage, drift: report };
}
