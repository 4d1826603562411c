import { describe, expect, it } from 'vitest';
import { profileDataset, type DatasetVersionIngested, type ExpectationSuiteDeclared } from '@mlstream/kit';
import { expectationToRecord } from '@mlstream/kit/expectations';
import { auditValidations } from './audit.ts';
import { validateDataset } from './validate.ts';

const ingested = (version: string, ages: Array<number | null>, occurredAt: number): DatasetVersionIngested => ({
  eventId: `00000000-0000-4000-8000-0000000000${occurredAt}`,
  occurredAt,
  datasetId: 'loans',
  version,
  uri: 'file:///x',
  contentSha256: 'ab',
  rowCount: ages.length,
  ...profileDataset(ages.map((age) => ({ numericFeatures: { age } }))),
  validation: { passed: true, checks: [] },
  producer: 'test',
  tags: {},
});
const suite: ExpectationSuiteDeclared = {
  eventId: 's1',
  occurredAt: 20,
  commandId: 'c',
  actor: 'ci',
  aggregateVersion: 1,
  subject: 'dataset:loans',
  version: 1,
  expectations: [expectationToRecord({ kind: 'null_share_at_most', column: 'age', max: 0 })],
  reason: null,
};

describe('auditValidations', () => {
  const ingestions = [
    { event: ingested('v1', [1, null], 10), partition: 0, offset: 0 },
    { event: ingested('v2', [1, null], 30), partition: 0, offset: 1 },
  ];
  // As the validator wrote them: v1 before the suite (no_suite), v2 under suite 1 (failed).
  const recorded = [validateDataset({ ...ingestions[0]!, ingestion: ingestions[0]!.event }), validateDataset({ ...ingestions[1]!, ingestion: ingestions[1]!.event, previous: ingestions[0]!.event, suite: { subject: 'dataset:loans', version: 1, since: 20, expectations: [{ kind: 'null_share_at_most', column: 'age', max: 0 }], eventId: 's1' } })];

  it('reproduces every recorded verdict from the log', () => {
    expect(recorded.map((r) => r.verdict)).toEqual(['no_suite', 'failed']);
    expect(auditValidations({ ingestions, suites: [suite], recorded })).toEqual({ ingested: 2, recorded: 2, matched: 2, findings: [] });
  });

  it('reports a verdict that differs, one missing, and one no ingestion explains', () => {
    const forged = { ...recorded[1]!, verdict: 'passed', passed: true };
    const stray = { ...recorded[0]!, eventId: 'stray', ingestionEventId: 'nope' };
    const audit = auditValidations({ ingestions, suites: [suite], recorded: [forged, stray] });
    expect(audit.findings.map((f) => [f.kind, f.version])).toEqual([
      ['missing', 'v1'],
      ['differs', 'v2'],
      ['unexplained', 'v1'],
    ]);
  });
});
