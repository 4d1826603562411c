import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig, type Env } from '@mlstream/kit';
import { defaultPromotionPolicy, type PromotionPolicy } from './domain/evaluation.ts';

/** The repository root (this file is services/orchestrator/src/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const defaultTrainerCommand = '{node} services/orchestrator/src/trainer/main.ts --snapshot {snapshot} --out {output}';

const positive = (fallback: number, what: string) => z.coerce.number({ message: `expected ${what}` }).positive(`expected ${what}`).default(fallback);
const share = (fallback: number, what: string) => z.coerce.number({ message: `expected ${what}` }).min(0, `expected ${what}`).max(1, `expected ${what}`).default(fallback);

export interface OrchestratorSettings {
  executor: { kind: 'local'; command: string; timeoutMs: number } | { kind: 'webhook'; url: string; secret: string; timeoutMs: number };
  artifactRoot: string;
  jobTimeoutMs: number;
  labelGraceMs: number;
  settleMs: number;
  holdoutShare: number;
  policy: PromotionPolicy;
  gateMetric: string;
}

/** Orchestrator settings from the environment (docs/retrain-loop.md lists them). */
export function loadOrchestratorSettings(env: Env = process.env): OrchestratorSettings {
  const c = loadConfig(
    z.object({
      MLSTREAM_HOME: z.string().min(1).default(path.join(repoRoot, '.mlstream')),
      MLSTREAM_ARTIFACT_ROOT: z.string().min(1, 'expected a folder path').optional(),
      MLSTREAM_ORCHESTRATOR_EXECUTOR: z.enum(['local', 'webhook'], { message: 'expected local or webhook' }).default('local'),
      MLSTREAM_ORCHESTRATOR_COMMAND: z.string().min(1).default(defaultTrainerCommand),
      // Under the 30 s transaction timeout the step runs in.
      MLSTREAM_ORCHESTRATOR_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(25_000, 'expected at most 25000 (a step commits within the 30 s transaction timeout)').default(20_000),
      MLSTREAM_ORCHESTRATOR_WEBHOOK_URL: z.string().url('expected the CI dispatch URL').optional(),
      MLSTREAM_ORCHESTRATOR_WEBHOOK_SECRET: z.string().optional(),
      MLSTREAM_ORCHESTRATOR_JOB_TIMEOUT_MS: positive(15 * 60_000, 'milliseconds'),
      MLSTREAM_ORCHESTRATOR_LABEL_GRACE_MS: z.coerce.number().int().min(0).max(15_000, 'expected at most 15000 (the snapshot step waits for it inside a transaction)').default(5_000),
      MLSTREAM_ORCHESTRATOR_SETTLE_MS: z.coerce.number().int().min(0).max(10_000).default(3_000),
      MLSTREAM_ORCHESTRATOR_HOLDOUT_SHARE: share(0.3, 'a share between 0 and 1'),
      MLSTREAM_ORCHESTRATOR_MIN_LABELED: positive(defaultPromotionPolicy.minLabeled, 'a number of labeled rows'),
      MLSTREAM_ORCHESTRATOR_MARGIN: share(defaultPromotionPolicy.margin, 'an accuracy difference such as 0.02'),
      MLSTREAM_ORCHESTRATOR_ALPHA: share(defaultPromotionPolicy.alpha, 'a significance level such as 0.05'),
      MLSTREAM_ORCHESTRATOR_GATE_METRIC: z.string().min(1).default('holdout_accuracy'),
    }),
    env,
  );
  let executor: OrchestratorSettings['executor'];
  if (c.MLSTREAM_ORCHESTRATOR_EXECUTOR === 'webhook') {
    if (!c.MLSTREAM_ORCHESTRATOR_WEBHOOK_URL || !c.MLSTREAM_ORCHESTRATOR_WEBHOOK_SECRET) throw new TypeError('MLSTREAM_ORCHESTRATOR_EXECUTOR=webhook needs MLSTREAM_ORCHESTRATOR_WEBHOOK_URL and MLSTREAM_ORCHESTRATOR_WEBHOOK_SECRET');
    executor = { kind: 'webhook', url: c.MLSTREAM_ORCHESTRATOR_WEBHOOK_URL, secret: c.MLSTREAM_ORCHESTRATOR_WEBHOOK_SECRET, timeoutMs: c.MLSTREAM_ORCHESTRATOR_COMMAND_TIMEOUT_MS };
  } else {
    executor = { kind: 'local', command: c.MLSTREAM_ORCHESTRATOR_COMMAND, timeoutMs: c.MLSTREAM_ORCHESTRATOR_COMMAND_TIMEOUT_MS };
  }
  return {
    executor,
    artifactRoot: path.resolve(c.MLSTREAM_ARTIFACT_ROOT ?? path.join(c.MLSTREAM_HOME, 'artifacts')),
    jobTimeoutMs: c.MLSTREAM_ORCHESTRATOR_JOB_TIMEOUT_MS,
    labelGraceMs: c.MLSTREAM_ORCHESTRATOR_LABEL_GRACE_MS,
    settleMs: c.MLSTREAM_ORCHESTRATOR_SETTLE_MS,
    holdoutShare: c.MLSTREAM_ORCHESTRATOR_HOLDOUT_SHARE,
    policy: { minLabeled: c.MLSTREAM_ORCHESTRATOR_MIN_LABELED, margin: c.MLSTREAM_ORCHESTRATOR_MARGIN, alpha: c.MLSTREAM_ORCHESTRATOR_ALPHA },
    gateMetric: c.MLSTREAM_ORCHESTRATOR_GATE_METRIC,
  };
}
