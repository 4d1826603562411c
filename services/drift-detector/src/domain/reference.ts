import type { DecodedEvent, FeatureProfile } from '@mlstream/kit';
import { expectationsFromRecords } from '@mlstream/kit/expectations';
import type { ModelSuite, SuiteLookup } from './quality/suite.ts';

/** A training-data profile as a drift reference: fixed bins and category counts, so its size never depends on the stream. */
export interface ProfileReference {
  /** `dataset:<datasetId>@<version>`, what DriftMeasured.referenceId names. */
  id: string;
  rows: number;
  numeric: Record<string, { edges: number[]; counts: number[] }>;
  categorical: Record<string, { counts: Record<string, number>; other: number }>;
}

/** Finds the training profile of a model version as of an event time; undefined when the chain is incomplete. */
export type ReferenceLookup = (model: string, version: number, asOf: number) => ProfileReference | undefined;

interface Dated<T> {
  at: number;
  value: T;
}

/** The reference of `dataset@version` from its profile (features without a numeric or categorical profile are left out). */
export function referenceFromProfile(datasetId: string, version: string, rowCount: number, profile: readonly FeatureProfile[]): ProfileReference {
  const numeric: ProfileReference['numeric'] = {};
  const categorical: ProfileReference['categorical'] = {};
  for (const f of profile) {
    if (f.numeric && f.numeric.binEdges.length >= 2 && f.numeric.binCounts.length === f.numeric.binEdges.length - 1) {
      numeric[f.name] = { edges: f.numeric.binEdges, counts: f.numeric.binCounts };
    } else if (f.categorical) {
      categorical[f.name] = { counts: f.categorical.counts, other: f.categorical.otherCount };
    }
  }
  return { id: `dataset:${datasetId}@${version}`, rows: rowCount, numeric, categorical };
}

/**
 * What the detector knows of the lineage that leads to training data:
 * model version → run (ModelVersionRegistered.runId) → the run's training
 * inputs (InputsLogged, context "training") → the dataset version's profile
 * (DatasetVersionIngested); and the models' expectation suites
 * (ExpectationSuiteDeclared, subject `model:<name>`). Its size follows the
 * number of model versions, runs, dataset versions and suites, never the
 * prediction stream. Metrics and other
 * run events are ignored.
 */
export function createLineage() {
  const versions = new Map<string, Dated<string>>();
  const training = new Map<string, Array<Dated<{ datasetId: string; version: string }>>>();
  const datasets = new Map<string, Dated<ProfileReference>>();
  /** Expectation suites of models (subject `model:<name>`), in log order. */
  const suites = new Map<string, Array<Dated<ModelSuite>>>();

  const add = (event: DecodedEvent): boolean => {
    switch (event.type) {
      case 'ModelVersionRegistered':
        if (event.value.runId) versions.set(`${event.value.model}|${event.value.version}`, { at: event.value.occurredAt, value: event.value.runId });
        return true;
      case 'InputsLogged': {
        const list = training.get(event.value.runId) ?? [];
        for (const input of event.value.inputs) {
          if (input.context.toLowerCase() === 'training') list.push({ at: event.value.occurredAt, value: { datasetId: input.datasetId, version: input.version } });
        }
        if (list.length) training.set(event.value.runId, list);
        return true;
      }
      case 'DatasetVersionIngested': {
        const v = event.value;
        datasets.set(`${v.datasetId}@${v.version}`, { at: v.occurredAt, value: referenceFromProfile(v.datasetId, v.version, v.rowCount, v.profile) });
        return true;
      }
      case 'ExpectationSuiteDeclared': {
        const v = event.value;
        if (!v.subject.startsWith('model:')) return true;
        const model = v.subject.slice('model:'.length);
        const list = suites.get(model) ?? [];
        list.push({ at: v.occurredAt, value: { version: v.version, expectations: expectationsFromRecords(v.expectations) } });
        suites.set(model, list);
        return true;
      }
      default:
        return false;
    }
  };

  /** The model's suite in force at `asOf`: the highest version declared at or before that event time. */
  const suiteFor: SuiteLookup = (model, asOf) => {
    let found: ModelSuite | undefined;
    for (const s of suites.get(model) ?? []) if (s.at <= asOf && (!found || s.value.version > found.version)) found = s.value;
    return found;
  };

  /**
   * The profile of the version's first training input, using only facts
   * whose event time is at or before `asOf` (the version's first
   * prediction): the live detector and an audit that reads the whole log
   * then pick the same reference.
   */
  const referenceFor: ReferenceLookup = (model, version, asOf) => {
    const run = versions.get(`${model}|${version}`);
    if (!run || run.at > asOf) return undefined;
    for (const input of training.get(run.value) ?? []) {
      if (input.at > asOf) continue;
      const dataset = datasets.get(`${input.value.datasetId}@${input.value.version}`);
      if (dataset && dataset.at <= asOf && (Object.keys(dataset.value.numeric).length || Object.keys(dataset.value.categorical).length)) return dataset.value;
    }
    return undefined;
  };

  return { add, referenceFor, suiteFor, hasSuites: () => suites.size > 0 };
}

export type Lineage = ReturnType<typeof createLineage>;
