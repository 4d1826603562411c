import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MlstreamError } from '@mlstream/kit';

/** Where the ordered migration files live (`NNN_name.sql`). */
export const migrationsDir = path.resolve(import.meta.dirname, '../../../../infra/clickhouse');

export interface MigrationFile {
  name: string;
  sql: string;
}

export interface Topology {
  database: string;
  /** ClickHouse cluster name: ON CLUSTER DDL and Replicated engines; undefined = single node. */
  cluster?: string;
}

export interface PlannedMigration {
  name: string;
  checksum: string;
  statements: string[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readMigrationFiles(dir = migrationsDir): MigrationFile[] {
  const names = fs.readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return names.map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** Splits a file into statements: `--` comment lines dropped, `;` at a line end separates. */
export function splitStatements(text: string): string[] {
  const body = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  return body
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const ENGINE = /\{\{engine:([A-Za-z]+)(?:\(([^)]*)\))?\}\}/g;

/**
 * Renders the placeholders of one statement: `{{db}}`, `{{on_cluster}}` and
 * `{{engine:Kind(args)}}`. On a cluster, engines become Replicated* with a
 * ZooKeeper path per database and table, and `{shard}` / `{replica}` macros
 * taken from each server's config.
 */
export function renderStatement(statement: string, topology: Topology): string {
  const { database, cluster } = topology;
  const table = /CREATE\s+(?:TABLE|MATERIALIZED\s+VIEW)\s+IF\s+NOT\s+EXISTS\s+\{\{db\}\}\.([A-Za-z0-9_]+)/i.exec(statement)?.[1];
  return statement
    .replace(/\{\{db\}\}/g, database)
    .replace(/[ \t]*\{\{on_cluster\}\}/g, cluster ? ` ON CLUSTER ${cluster}` : '')
    .replace(ENGINE, (_m, kind: string, args: string | undefined) => {
      const extra = args?.trim() ? args.trim() : '';
      if (!cluster) return `${kind}(${extra})`;
      if (!table) throw new MlstreamError('MIGRATION_FAILED', `cannot find the table name of a replicated engine in: ${statement.slice(0, 80)}`);
      const zkPath = `'/clickhouse/tables/{shard}/${database}/${table}'`;
      return `Replicated${kind}(${[zkPath, "'{replica}'", ...(extra ? [extra] : [])].join(', ')})`;
    });
}

export const migrationsTable = (topology: Topology): string =>
  renderStatement(
    'CREATE TABLE IF NOT EXISTS {{db}}._migrations {{on_cluster}} (name String, checksum String, applied_at DateTime) ENGINE = {{engine:MergeTree}} ORDER BY name',
    topology,
  );

export const createDatabase = ({ database, cluster }: Topology): string =>
  `CREATE DATABASE IF NOT EXISTS ${database}${cluster ? ` ON CLUSTER ${cluster}` : ''}`;

/** Pure: every migration file rendered for a topology, in order. */
export function planMigrations(files: MigrationFile[], topology: Topology): PlannedMigration[] {
  if (!IDENT.test(topology.database)) throw new MlstreamError('CONFIG_INVALID', `database ${JSON.stringify(topology.database)} is not a plain identifier`);
  if (topology.cluster !== undefined && !IDENT.test(topology.cluster)) {
    throw new MlstreamError('CONFIG_INVALID', `cluster ${JSON.stringify(topology.cluster)} is not a plain identifier (MLSTREAM_CLICKHOUSE_CLUSTER)`);
  }
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  return sorted.map((f) => ({
    name: f.name,
    checksum: createHash('sha256').update(f.sql).digest('hex'),
    statements: splitStatements(f.sql).map((s) => renderStatement(s, topology)),
  }));
}
