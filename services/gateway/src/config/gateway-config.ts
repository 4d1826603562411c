import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig, type Env } from '@mlstream/kit';
import { devKey, parseApiKeys, type ApiKey } from '../auth/index.ts';
import { defaultLimits, type Limits } from '../limits/index.ts';

const positiveInt = (fallback: number, what: string) =>
  z.coerce.number({ message: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`).default(fallback);

/** The state folder when MLSTREAM_HOME is unset: `<repository>/.mlstream`, as the stack's (this file is services/gateway/src/config/). */
const defaultHome = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..', '.mlstream');
/** The console's build output (services/console/dist) beside this service. */
export const defaultConsoleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../console/dist');
/** 2 GiB: a large model file; MLflow itself sets no limit. */
const DEFAULT_ARTIFACT_MAX_BYTES = 2 * 1024 ** 3;

const DAY_MS = 24 * 60 * 60 * 1000;
// ClickHouse's DateTime ends in 2106 and fastavro's timestamp-millis in 9999: a range inside both.
const LATEST_MIN = Date.UTC(2100, 0, 1);

/** An instant as ISO-8601 (`2000-01-01`, `2000-01-01T00:00:00Z`) or epoch milliseconds. */
const instant = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const ms = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Date.parse(raw);
      if (!Number.isSafeInteger(ms) || ms < 0 || ms >= LATEST_MIN) {
        ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 date or epoch milliseconds between 1970 and 2100' });
        return z.NEVER;
      }
      return ms;
    });

/** Gateway settings besides the connections (docs/api.md lists them). */
export const gatewayConfigSchema = z.object({
  /** 0 picks a free port (tests). */
  MLSTREAM_GATEWAY_PORT: z.coerce.number({ message: 'expected a port number' }).int('expected a port number').min(0, 'expected a port between 0 and 65535').max(65535, 'expected a port between 0 and 65535').default(8080),
  MLSTREAM_GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  MLSTREAM_GATEWAY_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 letters, digits, . _ -').default(String(process.pid)),
  /** `name:sha256:scope,scope;...`; unset: the development key (token `mlstream-dev-key`, every scope). */
  MLSTREAM_GATEWAY_API_KEYS: z
    .string()
    .optional()
    .transform((spec, ctx): { keys: ApiKey[]; dev: boolean } => {
      if (spec === undefined || spec.trim() === '') return { keys: [devKey()], dev: true };
      try {
        return { keys: parseApiKeys(spec), dev: false };
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  MLSTREAM_GATEWAY_BODY_LIMIT_BYTES: positiveInt(defaultLimits.bodyBytes, 'a number of bytes'),
  MLSTREAM_GATEWAY_BATCH_LIMIT: positiveInt(defaultLimits.batchItems, 'a positive whole number'),
  MLSTREAM_GATEWAY_FEATURE_LIMIT: positiveInt(defaultLimits.featuresPerPrediction, 'a positive whole number'),
  MLSTREAM_GATEWAY_SEND_TIMEOUT_MS: positiveInt(5_000, 'milliseconds'),
  MLSTREAM_GATEWAY_COMMAND_TIMEOUT_MS: positiveInt(10_000, 'milliseconds'),
  MLSTREAM_GATEWAY_RETRY_AFTER_S: positiveInt(5, 'seconds'),
  MLSTREAM_GATEWAY_IDEMPOTENCY_CACHE_SIZE: positiveInt(10_000, 'a positive whole number'),
  MLSTREAM_GATEWAY_IDEMPOTENCY_TTL_MS: positiveInt(24 * 60 * 60 * 1000, 'milliseconds'),
  MLSTREAM_GATEWAY_MAX_STREAMS: positiveInt(100, 'a positive whole number'),
  MLSTREAM_GATEWAY_SSE_HEARTBEAT_MS: positiveInt(15_000, 'milliseconds'),
  /** Earliest event time accepted (occurredAt, metric timestamps). */
  MLSTREAM_GATEWAY_EVENT_TIME_MIN: instant(defaultLimits.eventTimeMinMs),
  /** How far past now an event time may be. */
  MLSTREAM_GATEWAY_EVENT_TIME_MAX_AHEAD_MS: z.coerce
    .number({ message: 'expected milliseconds' })
    .int('expected milliseconds')
    .min(0, 'expected milliseconds')
    .max(366 * DAY_MS, 'expected at most 366 days of milliseconds (31622400000)')
    .default(defaultLimits.eventTimeMaxAheadMs),
  MLSTREAM_HOME: z.string().min(1).default(defaultHome),
  /** Folder of the local artifact store; default `$MLSTREAM_HOME/artifacts`. */
  MLSTREAM_ARTIFACT_ROOT: z.string().min(1, 'expected a folder path').optional(),
  MLSTREAM_ARTIFACT_MAX_BYTES: positiveInt(DEFAULT_ARTIFACT_MAX_BYTES, 'a number of bytes'),
  /** The built console served at /ui (docs/console.md); default services/console/dist, built at start when missing. */
  MLSTREAM_CONSOLE_DIR: z.string().min(1, 'expected a folder path').optional(),
  /** The features service the gateway proxies POST /v1/features/online to (docs/features.md). */
  MLSTREAM_FEATURES_URL: z.string().url('expected an http(s) URL').default('http://127.0.0.1:18207'),
});

export interface GatewayConfig {
  port: number;
  host: string;
  instanceId: string;
  apiKeys: ApiKey[];
  /** True when no key was configured and the development key is in use. */
  devKey: boolean;
  limits: Limits;
  sendTimeoutMs: number;
  commandTimeoutMs: number;
  retryAfterSeconds: number;
  idempotency: { maxEntries: number; ttlMs: number };
  maxStreams: number;
  heartbeatMs: number;
  /** The artifact store (docs/artifacts.md): local folder (absolute) and the largest artifact accepted. */
  artifacts: { root: string; maxBytes: number };
  /** The built console's folder (absolute) and whether it is the default one (which the gateway builds when missing). */
  console: { dir: string; isDefault: boolean };
  /** Base URL of the features service (POST /v1/features/online is proxied to it). */
  featuresUrl: string;
}

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const c = loadConfig(gatewayConfigSchema, env);
  return {
    port: c.MLSTREAM_GATEWAY_PORT,
    host: c.MLSTREAM_GATEWAY_HOST,
    instanceId: c.MLSTREAM_GATEWAY_INSTANCE_ID,
    apiKeys: c.MLSTREAM_GATEWAY_API_KEYS.keys,
    devKey: c.MLSTREAM_GATEWAY_API_KEYS.dev,
    limits: {
      ...defaultLimits,
      bodyBytes: c.MLSTREAM_GATEWAY_BODY_LIMIT_BYTES,
      batchItems: c.MLSTREAM_GATEWAY_BATCH_LIMIT,
      featuresPerPrediction: c.MLSTREAM_GATEWAY_FEATURE_LIMIT,
      eventTimeMinMs: c.MLSTREAM_GATEWAY_EVENT_TIME_MIN,
      eventTimeMaxAheadMs: c.MLSTREAM_GATEWAY_EVENT_TIME_MAX_AHEAD_MS,
    },
    sendTimeoutMs: c.MLSTREAM_GATEWAY_SEND_TIMEOUT_MS,
    commandTimeoutMs: c.MLSTREAM_GATEWAY_COMMAND_TIMEOUT_MS,
    retryAfterSeconds: c.MLSTREAM_GATEWAY_RETRY_AFTER_S,
    idempotency: { maxEntries: c.MLSTREAM_GATEWAY_IDEMPOTENCY_CACHE_SIZE, ttlMs: c.MLSTREAM_GATEWAY_IDEMPOTENCY_TTL_MS },
    maxStreams: c.MLSTREAM_GATEWAY_MAX_STREAMS,
    heartbeatMs: c.MLSTREAM_GATEWAY_SSE_HEARTBEAT_MS,
    artifacts: { root: path.resolve(c.MLSTREAM_ARTIFACT_ROOT ?? path.join(c.MLSTREAM_HOME, 'artifacts')), maxBytes: c.MLSTREAM_ARTIFACT_MAX_BYTES },
    featuresUrl: c.MLSTREAM_FEATURES_URL,
    console: c.MLSTREAM_CONSOLE_DIR ? { dir: path.resolve(c.MLSTREAM_CONSOLE_DIR), isDefault: false } : { dir: defaultConsoleDir, isDefault: true },
  };
}
