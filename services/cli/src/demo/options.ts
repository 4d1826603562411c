import { randomBytes } from 'node:crypto';
import type { Env } from '@mlstream/kit';
import { loadDetectorConfig } from '@mlstream/drift-detector';

export interface DemoOptions {
  /** Gateway base URL; default MLSTREAM_GATEWAY_URL or http://127.0.0.1:8080 (what `npm start` runs). */
  gatewayUrl?: string;
  /** API key; default MLSTREAM_API_KEY or the development key `mlstream-dev-key`. */
  apiKey?: string;
  /** Seed of every generated row, curve and request; default 42. */
  seed?: number;
  /** Registered model name; default `demo-churn-<run tag>` (a fresh model, so the detector's cooldown of an earlier demo does not apply). */
  model?: string;
  /** Shortened demo for tests: fewer rows and epochs, predictions as fast as the gateway takes them. */
  fast?: boolean;
  /** Predictions per second; default 100 (fast: 2 000). */
  rate?: number;
  /** Full drift windows streamed before the shift; default 3 (fast: 2). */
  cleanWindows?: number;
  /** The running detector's window size and hysteresis; default read from MLSTREAM_DRIFT_* like the detector does. */
  windowSize?: number;
  consecutiveWindows?: number;
  /** Close the loop: after the retrain request, follow the orchestrator's job and serve the promoted model (needs the orchestrator running). */
  loop?: boolean;
  /** Skip re-reading the topics for the drift audit and the lineage (they read whole topics). */
  skipAudit?: boolean;
  /** Environment for connections (Kafka, topic prefix) and detector settings; default process.env. */
  env?: Env;
  /** Where progress lines go; default console.log. */
  print?: (line: string) => void;
}

export interface ResolvedDemoOptions {
  gatewayUrl: string;
  apiKey: string;
  seed: number;
  tag: string;
  model: string;
  experiment: string;
  datasetId: string;
  datasetVersion: string;
  fast: boolean;
  rate: number;
  cleanWindows: number;
  windowSize: number;
  consecutiveWindows: number;
  /** The running detector's failed quality windows in a row before DataQualityFailed (MLSTREAM_QUALITY_CONSECUTIVE_WINDOWS). */
  qualityWindows: number;
  trainingRows: number;
  epochs: number;
  /** Labels arrive this long after their prediction. */
  labelDelayMs: number;
  /** Promotion gate on the best run's final val_auc. */
  gateThreshold: number;
  /** How long to wait for the read model and for the retrain request once streaming stopped. */
  settleTimeoutMs: number;
  skipAudit: boolean;
  loop: boolean;
  env: Env;
  print: (line: string) => void;
}

const positive = (name: string, value: number | undefined, fallback: number, integer = false): number => {
  const v = value ?? fallback;
  if (!(Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v)))) throw new TypeError(`demo: ${name} must be a positive ${integer ? 'whole ' : ''}number, got ${value}`);
  return v;
};

/** Defaults, the fast variant, and the detector settings of the platform the demo talks to. */
export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const env = options.env ?? process.env;
  const fast = options.fast ?? false;
  const tag = `${Date.now().toString(36).slice(-6)}${randomBytes(1).toString('hex')}`;
  const model = options.model ?? `demo-churn-${tag}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(model)) throw new TypeError(`demo: --model must be letters, digits, '.', '_' or '-' (at most 200), got ${JSON.stringify(model)}`);
  const detector = loadDetectorConfig(env)(model);
  return {
    gatewayUrl: (options.gatewayUrl ?? env.MLSTREAM_GATEWAY_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''),
    apiKey: options.apiKey ?? env.MLSTREAM_API_KEY ?? 'mlstream-dev-key',
    seed: positive('seed', options.seed, 42, true),
    tag,
    model,
    experiment: model,
    datasetId: 'demo-customers',
    datasetVersion: `seed${options.seed ?? 42}-${tag}`,
    fast,
    rate: positive('rate', options.rate, fast ? 2000 : 100),
    cleanWindows: positive('cleanWindows', options.cleanWindows, fast ? 2 : 3, true),
    windowSize: positive('windowSize', options.windowSize, detector.windowSize, true),
    consecutiveWindows: positive('consecutiveWindows', options.consecutiveWindows, detector.consecutiveWindows, true),
    qualityWindows: detector.qualityConsecutiveWindows,
    trainingRows: fast ? 2000 : 10_000,
    epochs: fast ? 8 : 30,
    labelDelayMs: fast ? 300 : 3000,
    gateThreshold: 0.85,
    settleTimeoutMs: 60_000,
    skipAudit: options.skipAudit ?? false,
    loop: options.loop ?? false,
    env,
    print: options.print ?? ((line) => console.log(line)),
  };
}
