import { MlstreamError, type ClickHouseClient, type Logger } from '@mlstream/kit';
import { createDatabase, migrationsTable, planMigrations, readMigrationFiles, type MigrationFile, type Topology } from './plan.ts';

export interface MigrateOptions extends Topology {
  client: ClickHouseClient;
  logger?: Logger;
  files?: MigrationFile[];
}

/**
 * Applies every migration not yet recorded in `<db>._migrations`, in file
 * order. Each statement is idempotent (IF NOT EXISTS), so a migration that
 * crashed half-way is simply run again; the record is written last.
 */
export async function migrate(options: MigrateOptions): Promise<{ applied: string[]; skipped: string[] }> {
  const { client, logger } = options;
  const topology: Topology = { database: options.database, ...(options.cluster ? { cluster: options.cluster } : {}) };
  const plan = planMigrations(options.files ?? readMigrationFiles(), topology);
  const run = async (query: string, what: string) => {
    try {
      await client.command({ query, clickhouse_settings: { wait_end_of_query: 1 } });
    } catch (cause) {
      throw new MlstreamError('MIGRATION_FAILED', `${what} failed: ${(cause as Error).message}`, { cause, details: { statement: query.slice(0, 200) } });
    }
  };
  await run(createDatabase(topology), 'CREATE DATABASE');
  await run(migrationsTable(topology), 'creating _migrations');
  const result = await client.query({ query: `SELECT name FROM ${topology.database}._migrations`, format: 'JSONEachRow' });
  const done = new Set((await result.json<{ name: string }>()).map((r) => r.name));
  const applied: string[] = [];
  const skipped: string[] = [];
  for (const migration of plan) {
    if (done.has(migration.name)) {
      skipped.push(migration.name);
      continue;
    }
    for (const [i, statement] of migration.statements.entries()) await run(statement, `${migration.name} statement ${i + 1}`);
    await client.insert({
      table: `${topology.database}._migrations`,
      values: [{ name: migration.name, checksum: migration.checksum, applied_at: Math.floor(Date.now() / 1000) }],
      format: 'JSONEachRow',
    });
    applied.push(migration.name);
    logger?.info({ migration: migration.name, statements: migration.statements.length }, 'migration.applied');
  }
  return { applied, skipped };
}
