import { z } from 'zod';
import { boolVar, loadConfig, serviceConfigSchema, type Env } from '@mlstream/kit';
import { DEFAULT_DEDUPE_WINDOW } from './consumer/dedupe.ts';
import { DEFAULT_IDLE_MS, DEFAULT_MAX_EVENTS, DEFAULT_MAX_WAIT_MS } from './consumer/flushing.ts';
import { INSERT_FORMATS } from './consumer/store.ts';

const positive = (fallback: number, what: string) => z.coerce.number({ message: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`).default(fallback);

/** Materializer settings besides the connections (README "Configuration", docs/materializer.md). */
export const materializerConfigSchema = serviceConfigSchema.extend({
  MLSTREAM_MATERIALIZER_MAX_EVENTS: positive(DEFAULT_MAX_EVENTS, 'a number of events per partition batch'),
  MLSTREAM_MATERIALIZER_IDLE_MS: positive(DEFAULT_IDLE_MS, 'milliseconds without new records before a partition batch is written'),
  MLSTREAM_MATERIALIZER_MAX_WAIT_MS: positive(DEFAULT_MAX_WAIT_MS, 'milliseconds a partition batch may wait'),
  MLSTREAM_MATERIALIZER_RETRY_MAX_MS: positive(10_000, 'the longest backoff in milliseconds while ClickHouse fails'),
  MLSTREAM_MATERIALIZER_MIGRATE: boolVar(true),
  MLSTREAM_MATERIALIZER_INSERT_FORMAT: z.enum(INSERT_FORMATS, { message: `expected ${INSERT_FORMATS.join(' or ')}` }).default(INSERT_FORMATS[0]),
  MLSTREAM_MATERIALIZER_DEDUPE_WINDOW: z.coerce.number({ message: 'expected a number of offsets per partition' }).int('expected a number of offsets per partition').min(0, 'expected 0 (off) or more offsets').default(DEFAULT_DEDUPE_WINDOW),
  MLSTREAM_CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/, 'expected a cluster name from remote_servers (letters, digits, underscore)')
    .default(''),
  MLSTREAM_CLICKHOUSE_INSERT_QUORUM: z.coerce.number({ message: 'expected a number of replicas' }).int('expected a number of replicas').min(0, 'expected 0 or more replicas').default(0),
});

export type MaterializerConfig = z.infer<typeof materializerConfigSchema>;

export const loadMaterializerConfig = (env: Env = process.env): MaterializerConfig => loadConfig(materializerConfigSchema, env);
