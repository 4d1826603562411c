import { isDeepStrictEqual } from 'node:util';
import type { DatasetValidated, DatasetVersionIngested, ExpectationSuiteDeclared } from '@mlstream/kit';
import { createDatasetHistory } from './dataset-history.ts';
import { datasetSubject } from './suite.ts';
import { createSuiteHistory } from './suite-history.ts';
import { validateDataset } from './validate.ts';

export interface ValidationFinding {
  kind: 'differs' | 'missing' | 'unexplained';
  datasetId: string;
  version: string;
  eventId: string;
  detail: string;
}

export interface ValidationAudit {
  ingested: number;
  recorded: number;
  matched: number;
  findings: ValidationFinding[];
}

/**
 * Re-runs the platform's validation over the recorded log (suites, dataset
 * versions) and compares with every recorded DatasetValidated: what differs,
 * what is missing, and what no ingestion explains. Pure.
 */
export function auditValidations(input: {
  ingestions: ReadonlyArray<{ event: DatasetVersionIngested; partition: number; offset: number }>;
  suites: readonly ExpectationSuiteDeclared[];
  recorded: readonly DatasetValidated[];
}): ValidationAudit {
  const suites = createSuiteHistory();
  for (const s of input.suites) suites.add(s);
  const datasets = createDatasetHistory();
  for (const i of input.ingestions) datasets.add(i.event, i.offset);
  const recorded = new Map(input.recorded.map((r) => [r.eventId, r]));
  const findings: ValidationFinding[] = [];
  let matched = 0;
  for (const { event, partition, offset } of input.ingestions) {
    const expected = validateDataset({ ingestion: event, partition, offset, suite: suites.at(datasetSubject(event.datasetId), event.occurredAt), previous: datasets.previous(event.datasetId, offset) });
    const found = recorded.get(expected.eventId);
    recorded.delete(expected.eventId);
    const where = { datasetId: event.datasetId, version: event.version, eventId: expected.eventId };
    if (!found) findings.push({ kind: 'missing', ...where, detail: `no DatasetValidated for ingestion ${event.eventId} (expected verdict ${expected.verdict})` });
    else if (!isDeepStrictEqual({ ...found }, { ...expected })) findings.push({ kind: 'differs', ...where, detail: `recorded verdict ${found.verdict} (suite ${found.suiteVersion}), recomputed ${expected.verdict} (suite ${expected.suiteVersion})` });
    else matched += 1;
  }
  for (const r of recorded.values()) findings.push({ kind: 'unexplained', datasetId: r.datasetId, version: r.version, eventId: r.eventId, detail: `no ingestion ${r.ingestionEventId} in the log` });
  return { ingested: input.ingestions.length, recorded: input.recorded.length, matched, findings };
}
