/** One prediction a model served (a PredictionLogged fact). */
export interface PredictionInput {
  requestId: string;
  model: string;
  version: number;
  numericFeatures?: Record<string, number>;
  categoricalFeatures?: Record<string, string>;
  prediction: number | string;
  probabilities?: Record<string, number> | null;
  latencyMs: number;
  error?: string | null;
  /** Default: a new UUID, chosen when logged, kept across retries. */
  eventId?: string;
  /** Event time in epoch ms; default: when logged. */
  occurredAt?: number;
}

/** A ground-truth label for an earlier prediction (a LabelObserved fact). */
export interface LabelInput {
  requestId: string;
  model: string;
  label: number | string;
  eventId?: string;
  occurredAt?: number;
}

export interface DatasetVersionInput {
  version: string;
  uri: string;
  contentSha256: string;
  rowCount: number;
  features?: Array<{ name: string; type: 'NUMERIC' | 'CATEGORICAL' | 'BOOLEAN' | 'TEXT' | 'DATETIME' }>;
  profile?: unknown[];
  validation?: { passed: boolean; checks: Array<{ name: string; passed: boolean; detail?: string | null }> };
  tags?: Record<string, string>;
  eventId?: string;
  occurredAt?: number;
}
