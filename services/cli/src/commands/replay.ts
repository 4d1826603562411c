import { createClickHouse, createKafka, createLogger, createSchemaRegistryClient, createSerde, loadConnections, resolveCatalog } from '@mlstream/kit';
import { formatProgress, formatReport, replay } from '../replay/index.ts';

export interface ReplayFlags {
  database?: string;
  from?: string;
  to?: string;
  topics?: string;
  compareWith?: string;
  /** commander's --no-compare */
  compare?: boolean;
  force?: boolean;
  dropAfter?: boolean;
  keep?: boolean;
  waitLive?: string;
  json?: boolean;
}

/** `mlstream replay`: report on stdout (text or --json), progress on stderr; exit 1 when a table differs. */
export async function replayCommand(flags: ReplayFlags): Promise<void> {
  const connections = loadConnections();
  const logger = createLogger({ service: 'cli', level: 'warn' });
  const catalog = resolveCatalog(connections.topicPrefix);
  const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: 'mlstream-replay', logger });
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/cli' });
  const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const tty = process.stderr.isTTY;
  try {
    const report = await replay({
      kafka,
      serde,
      client,
      catalog,
      liveDatabase: connections.clickhouse.database,
      ...(flags.database !== undefined ? { database: flags.database } : {}),
      compareWith: flags.compare === false ? null : (flags.compareWith ?? connections.clickhouse.database),
      ...(flags.from !== undefined ? { from: flags.from } : {}),
      ...(flags.to !== undefined ? { to: flags.to } : {}),
      ...(flags.topics !== undefined ? { topics: flags.topics } : {}),
      force: flags.force ?? false,
      dropAfter: (flags.dropAfter ?? false) && !flags.keep,
      ...(flags.waitLive !== undefined ? { waitLiveMs: Number(flags.waitLive) } : {}),
      onProgress: (p) => process.stderr.write(`${tty ? '\r' : ''}mlstream: ${formatProgress(p)}${tty ? '' : '\n'}`),
    });
    if (tty) process.stderr.write('\n');
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
    if (report.differences.length) process.exitCode = 1;
  } finally {
    await client.close();
  }
}
