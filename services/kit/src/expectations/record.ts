import type { ExpectationOutcome } from '../contracts/generated/types.ts';
import type { ExpectationResult } from './evaluate.ts';
import { type Expectation, parseSuite } from './expectation.ts';

/**
 * An expectation as events carry it (Avro record `ExpectationSpec`): one flat
 * record with optional fields, since Avro unions of records would make every new
 * kind a schema change. `expectationFromRecord` checks it as strictly as the API.
 */
export interface ExpectationRecord {
  kind: string;
  column?: string | null;
  type?: string | null;
  min?: number | null;
  max?: number | null;
  margin?: number | null;
  values?: string[];
}

export function expectationToRecord(e: Expectation): Required<ExpectationRecord> {
  const r = e as Partial<Record<'column' | 'type' | 'min' | 'max' | 'margin', unknown>> & { values?: string[] };
  return {
    kind: e.kind,
    column: typeof r.column === 'string' ? r.column : null,
    type: typeof r.type === 'string' ? r.type : null,
    min: typeof r.min === 'number' ? r.min : null,
    max: typeof r.max === 'number' ? r.max : null,
    margin: typeof r.margin === 'number' ? r.margin : null,
    values: r.values ? [...r.values] : [],
  };
}

export function expectationsFromRecords(records: readonly ExpectationRecord[]): Expectation[] {
  return parseSuite(
    records.map((r) => {
      const e: Record<string, unknown> = { kind: r.kind };
      if (r.column != null) e.column = r.column;
      if (r.type != null) e.type = r.type;
      if (r.min != null) e.min = r.min;
      if (r.max != null) e.max = r.max;
      if (r.margin != null) e.margin = r.margin;
      if (r.kind === 'values_in_set') e.values = r.values ?? [];
      return e;
    }),
  );
}

/** A result as events carry it (Avro record `ExpectationOutcome`, in DatasetValidated and DataQualityMeasured). */
export const expectationOutcome = (r: ExpectationResult): ExpectationOutcome => ({
  name: r.name,
  kind: r.expectation.kind,
  column: 'column' in r.expectation ? r.expectation.column : null,
  passed: r.passed,
  evaluable: r.evaluable,
  observedValue: typeof r.observed === 'number' ? r.observed : null,
  observedText: typeof r.observed === 'string' ? r.observed : null,
  detail: r.detail,
});
