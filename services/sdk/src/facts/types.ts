import type { FeatureProfile, FeatureSpec, LabelObserved, PredictionLogged, Validation } from '@mlstream/kit';

/** A fact as the SDK takes it: the contract's fields, with the event id and time filled in when missing. */
type Fact<T> = Omit<T, 'eventId' | 'occurredAt'> & {
  /** Default: a new UUID, chosen when logged, kept across retries. */
  eventId?: string;
  /** Event time in epoch ms; default: when logged. */
  occurredAt?: number;
};

/** One prediction a model served (a PredictionLogged fact). */
export type PredictionInput = Fact<PredictionLogged>;

/** A ground-truth label for an earlier prediction (a LabelObserved fact). */
export type LabelInput = Fact<LabelObserved>;

export interface DatasetVersionInput {
  version: string;
  uri: string;
  contentSha256: string;
  rowCount: number;
  features?: FeatureSpec[];
  /** Per-feature profile, the drift reference of models trained on this version (`profileDataset()` in @mlstream/drift-detector computes one). */
  profile?: FeatureProfile[];
  validation?: Validation;
  tags?: Record<string, string>;
  eventId?: string;
  occurredAt?: number;
}
