import { applyTopics, createKafka, createLogger, createSchemaRegistryClient, createSerde, loadConnections, resolveCatalog, type TopicsReport } from '@mlstream/kit';

export interface ContractsReport {
  topics: TopicsReport;
  subjects: Record<string, number>;
}

/** Creates missing topics and registers every schema; idempotent. */
export async function applyContracts(env: NodeJS.ProcessEnv = process.env): Promise<ContractsReport> {
  const connections = loadConnections(env);
  const logger = createLogger({ service: 'cli', level: 'warn' });
  const catalog = resolveCatalog(connections.topicPrefix);
  const admin = createKafka({ brokers: connections.kafkaBrokers, clientId: 'mlstream-cli', logger }).admin();
  await admin.connect();
  try {
    const topics = await applyTopics(admin, catalog);
    const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/cli' });
    const subjects = Object.fromEntries(await serde.registerAll());
    return { topics, subjects };
  } finally {
    await admin.disconnect();
  }
}

export function printTopicsReport(report: TopicsReport): void {
  for (const t of report.created) console.log(`created    ${t}`);
  for (const t of report.unchanged) console.log(`unchanged  ${t}`);
  for (const d of report.differences) {
    console.log(`DIFFERS    ${d.topic}: ${d.what}${d.setting ? ` ${d.setting}` : ''} is ${d.actual}, catalog says ${d.expected} (not changed; fix by hand or migrate to a new topic version)`);
  }
}

export async function topicsApplyCommand(options: { json?: boolean }): Promise<void> {
  const report = await applyContracts();
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else {
    printTopicsReport(report.topics);
    console.log(`${Object.keys(report.subjects).length} schemas registered (BACKWARD_TRANSITIVE)`);
  }
  if (report.topics.differences.length) process.exitCode = 4;
}
