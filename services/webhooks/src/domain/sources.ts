/**
 * The streams whose events a subscription can receive. Adding a source is
 * one line. A stream that is not in the deployment's topic catalog (e.g.
 * `quality` or `retrain-jobs` before their branches land) is skipped at start.
 * Every source topic is keyed by model name, so the Kafka key is the model.
 */
export interface WebhookSource {
  /** Stream id in the topic catalog. */
  stream: string;
  /** Record names delivered from it; '*' for every record of the stream. */
  records: readonly string[] | '*';
}

export const webhookSources: readonly WebhookSource[] = [
  { stream: 'retrain', records: ['RetrainRequested'] },
  { stream: 'drift', records: ['DriftDetected'] },
  { stream: 'registry', records: ['ModelVersionRegistered', 'StageTransitioned', 'AliasSet'] },
  { stream: 'quality', records: ['DataQualityFailed'] },
  { stream: 'retrain-jobs', records: '*' },
];

/** Whether a record of a source stream is deliverable at all (before subscription filters). */
export const isSourceRecord = (source: WebhookSource, record: string): boolean => source.records === '*' || source.records.includes(record);
