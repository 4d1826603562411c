import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { tableNames } from '../projections/index.ts';
import { migrationsTable, planMigrations, readMigrationFiles, renderStatement, splitStatements } from './plan.ts';

const files = readMigrationFiles();

describe('migration plan', () => {
  it('reads the ordered files of infra/clickhouse', () => {
    expect(files.map((f) => f.name)).toEqual(['001_event_tables.sql', '002_model_metrics_1m.sql', '003_mlflow_entities.sql', '004_data_validation.sql', '005_data_quality.sql', '006_webhooks.sql', '007_retrain_jobs.sql', '008_features.sql', '009_feature_skew.sql']);
  });

  it('splits statements and drops comment lines', () => {
    expect(splitStatements('-- a comment; with a semicolon\nCREATE TABLE a (x UInt8);\n\nCREATE TABLE b (y UInt8);')).toEqual(['CREATE TABLE a (x UInt8)', 'CREATE TABLE b (y UInt8)']);
  });

  it('single node: plain engines, no ON CLUSTER, every statement idempotent', () => {
    const plan = planMigrations(files, { database: 'mls' });
    const all = plan.flatMap((m) => m.statements);
    expect(all.every((s) => /^CREATE (TABLE|MATERIALIZED VIEW|VIEW) IF NOT EXISTS mls\./.test(s))).toBe(true);
    expect(all.join('\n')).not.toMatch(/\{\{|ON CLUSTER|Replicated/);
    expect(all.find((s) => s.includes('mls.runs ('))).toContain('ENGINE = ReplacingMergeTree(_version) ORDER BY run_id');
    expect(all.find((s) => s.includes('mls.model_metrics_1m_mv'))).toContain('TO mls.model_metrics_1m AS');
    // Every event table carries the Kafka coordinates.
    const tables = all.filter((s) => s.startsWith('CREATE TABLE') && !s.includes('model_metrics_1m') && !/materializer_(table_)?progress/.test(s));
    expect(tables.length).toBe(tableNames.length);
    for (const name of tableNames) expect(tables.some((t) => t.startsWith(`CREATE TABLE IF NOT EXISTS mls.${name} (`))).toBe(true);
    // Views hold no rows and need no engine: plain on a node, plain ON CLUSTER on a cluster.
    expect(all.find((s) => s.startsWith('CREATE VIEW IF NOT EXISTS mls.experiments AS'))).toContain('FROM mls.experiment_events');
    for (const t of tables) expect(t).toContain('_topic String, _partition UInt32, _offset UInt64');
  });

  it('cluster: ON CLUSTER and Replicated engines with a per-table ZooKeeper path', () => {
    const plan = planMigrations(files, { database: 'mls', cluster: 'prod' });
    const all = plan.flatMap((m) => m.statements);
    expect(all.every((s) => s.includes(' ON CLUSTER prod'))).toBe(true);
    expect(all.find((s) => s.includes('mls.runs '))).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/mls/runs', '{replica}', _version)");
    expect(all.find((s) => s.includes('mls.artifacts '))).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/mls/artifacts', '{replica}')");
    expect(all.find((s) => s.includes('mls.experiments '))).toMatch(/^CREATE VIEW IF NOT EXISTS mls.experiments ON CLUSTER prod AS\s+SELECT/);
    expect(all.find((s) => s.includes('mls.predictions '))).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/mls/predictions', '{replica}')");
    expect(all.find((s) => s.includes('mls.model_metrics_1m '))).toContain("ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/mls/model_metrics_1m', '{replica}')");
    expect(migrationsTable({ database: 'mls', cluster: 'prod' })).toBe(
      "CREATE TABLE IF NOT EXISTS mls._migrations ON CLUSTER prod (name String, checksum String, applied_at DateTime) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/mls/_migrations', '{replica}') ORDER BY name",
    );
  });

  it('checksums change with the file and names must be plain identifiers', () => {
    const [a] = planMigrations([{ name: '001_x.sql', sql: 'CREATE TABLE IF NOT EXISTS {{db}}.x (a UInt8) ENGINE = {{engine:MergeTree}} ORDER BY a' }], { database: 'd' });
    const [b] = planMigrations([{ name: '001_x.sql', sql: 'CREATE TABLE IF NOT EXISTS {{db}}.x (a UInt16) ENGINE = {{engine:MergeTree}} ORDER BY a' }], { database: 'd' });
    expect(a!.checksum).not.toBe(b!.checksum);
    for (const bad of [{ database: 'x;drop' }, { database: 'ok', cluster: "c' --" }]) {
      try {
        planMigrations(files, bad);
        throw new Error('expected CONFIG_INVALID');
      } catch (error) {
        expect(isMlstreamError(error, 'CONFIG_INVALID')).toBe(true);
      }
    }
    expect(renderStatement('SELECT 1 {{on_cluster}}', { database: 'd' })).toBe('SELECT 1');
  });
});
