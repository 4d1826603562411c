import { describe, expect, it } from 'vitest';
import { isMlstreamError, type ErrorCode } from '@mlstream/kit';
import { Sql } from '../sql/index.ts';
import { compareSql, datasetVersionSql, driftHistorySql, metricHistorySql, modelHealthSql, modelVersionsSql, searchRunsSql } from './index.ts';
import { replaceOutsideLiterals } from './current-state.ts';

const db = new Sql('mls');
const T0 = Date.UTC(2026, 10, 27, 10);
const rejects = (code: ErrorCode, fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(isMlstreamError(error, code), String(error)).toBe(true);
    return;
  }
  throw new Error(`expected ${code}`);
};
// Replaces every string literal by '?': what is left is the shape of the query.
const shape = (sql: Sql) => sql.text.replace(/'(?:[^'\\]|\\.)*'/g, "'?'");

describe('analytics SQL builders', () => {
  it('model health reads the per-minute view with bucketed minutes', () => {
    const q = modelHealthSql(db, { model: 'churn', from: T0, to: T0 + 3_600_000, bucketSeconds: 300, versions: [1, 2] });
    expect(q.text).toBe(
      `SELECT version, intDiv(toUInt32(minute), 300) * 300 AS bucket, countMerge(requests) AS n_requests, sumMerge(errors) AS n_errors, quantilesMerge(0.5, 0.95, 0.99)(latency) AS q FROM mls.model_metrics_1m WHERE model = 'churn' AND minute >= toDateTime(${T0 / 1000}) AND minute < toDateTime(${T0 / 1000 + 3600}) AND version IN (1, 2) GROUP BY version, bucket ORDER BY version, bucket`,
    );
  });

  it('rejects bad windows, buckets, versions and oversized names', () => {
    rejects('INVALID_ANALYTICS_REQUEST', () => modelHealthSql(db, { model: 'm', from: T0, to: T0 }));
    rejects('INVALID_ANALYTICS_REQUEST', () => modelHealthSql(db, { model: 'm', from: -1, to: T0 }));
    rejects('INVALID_ANALYTICS_REQUEST', () => modelHealthSql(db, { model: 'm', from: 0, to: T0 })); // more than 366 days
    rejects('INVALID_ANALYTICS_REQUEST', () => modelHealthSql(db, { model: 'm', from: T0, to: T0 + 1, bucketSeconds: 90 }));
    rejects('INVALID_ANALYTICS_REQUEST', () => modelHealthSql(db, { model: 'm', from: T0, to: T0 + 1, versions: [1.5] }));
    rejects('INVALID_ANALYTICS_REQUEST', () => modelHealthSql(db, { model: 'x'.repeat(1001), from: T0, to: T0 + 1 }));
    rejects('INVALID_ANALYTICS_REQUEST', () => modelHealthSql(db, { model: '', from: T0, to: T0 + 1 }));
    rejects('INVALID_ANALYTICS_REQUEST', () => metricHistorySql(db, { runId: 'r', key: 'k', maxResults: 0 }));
    rejects('INVALID_ANALYTICS_REQUEST', () => driftHistorySql(db, { model: 'm', version: -1 }));
  });

  it('hostile path parameters never change the shape of any query', () => {
    const hostile = ["x' OR '1'='1", "'; DROP TABLE mls.runs; --", '\\', "\\'", 'a\0b', '𝔘\n/* */', '1e308'];
    const shapes = (model: string) => [
      shape(modelHealthSql(db, { model, from: T0, to: T0 + 60_000 })),
      ...Object.values(compareSql(db, model, [1, 2], { from: T0, to: T0 + 60_000 })).map(shape),
      shape(metricHistorySql(db, { runId: model, key: model })),
      ...Object.values(driftHistorySql(db, { model, from: T0, to: T0 + 1 })).map(shape),
      shape(modelVersionsSql(db, model).versions),
    ];
    const expected = shapes('churn');
    for (const h of hostile) expect(shapes(h)).toEqual(expected);
  });

  it('run search pages with opaque tokens and fetches one row more than the page', () => {
    const first = searchRunsSql(db, { filter: "metrics.acc > 0.9", maxResults: 2 });
    expect(first.limit).toBe(2);
    expect(first.offset).toBe(0);
    expect(first.query.text).toMatch(/LIMIT 3 OFFSET 0$/);
    const token = Buffer.from(JSON.stringify({ o: 40 })).toString('base64url');
    expect(searchRunsSql(db, { pageToken: token }).query.text).toMatch(/LIMIT 101 OFFSET 40$/);
    rejects('INVALID_ANALYTICS_REQUEST', () => searchRunsSql(db, { pageToken: 'not-a-token' }));
    rejects('INVALID_ANALYTICS_REQUEST', () => searchRunsSql(db, { pageToken: Buffer.from('{"o":-5}').toString('base64url') }));
    rejects('INVALID_ANALYTICS_REQUEST', () => searchRunsSql(db, { maxResults: 50_001 }));
    rejects('INVALID_FILTER', () => searchRunsSql(db, { orderBy: Array.from({ length: 11 }, () => 'metrics.a') }));
    rejects('INVALID_FILTER', () => searchRunsSql(db, { filter: 'metrics.acc > 1 OR metrics.acc < 0' }));
  });

  it('the filter shape is fixed by the grammar, not by the values', () => {
    const q = (v: string) => shape(searchRunsSql(db, { filter: `params.lr = '${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' and tags.t != 'x'` }).query);
    expect(q("'; DROP TABLE runs --")).toBe(q('0.01'));
    expect(q('\\')).toBe(q('0.01'));
  });

  it('run search leaves deleted runs out by default and never matches or sorts by deleted tags', () => {
    const active = searchRunsSql(db, { filter: "tags.team = 'x'", orderBy: ['tags.stage DESC'] }).query.text;
    expect(active).toContain("FROM (SELECT * FROM mls.runs FINAL WHERE run_id NOT IN (SELECT run_id FROM mls.run_lifecycle GROUP BY run_id HAVING argMax(lifecycle_stage, _offset) = 'deleted')) AS __runs");
    expect(active).not.toMatch(/mls\.run_tags (FINAL|WHERE)/);
    // Both the tag filter and the tag order term read the current tags (deletions applied).
    expect(active.match(/FROM mls\.run_tag_deletions\) GROUP BY run_id, key HAVING argMax\(live, o\) = 1\) AS __tags/g)).toHaveLength(2);
    expect(searchRunsSql(db, { viewType: 'DELETED_ONLY' }).query.text).toContain('WHERE run_id IN (SELECT run_id FROM mls.run_lifecycle');
    const all = searchRunsSql(db, { viewType: 'ALL' }).query.text;
    expect(all).not.toContain('run_lifecycle');
    expect(all).toContain('FROM mls.runs FINAL');
    rejects('INVALID_ANALYTICS_REQUEST', () => searchRunsSql(db, { viewType: 'SOME' as never }));
  });

  it('scoping the search never rewrites a literal, however it is spelled', () => {
    const hostile = ['mls.run_tags FINAL', 'mls.runs FINAL', "\\' mls.runs FINAL \\'", 'mls.run_tags', '\\'];
    for (const h of hostile) {
      const text = searchRunsSql(db, { filter: `tags.t = '${h.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` }).query.text;
      expect(shape(new Sql(text))).toBe(shape(searchRunsSql(db, { filter: "tags.t = 'x'" }).query));
    }
    expect(replaceOutsideLiterals("a 'a\\'a' a '\\\\' a", /a/g, 'b')).toBe("b 'a\\'a' b '\\\\' b");
  });
});

describe('dataset version query', () => {
  it('reads the latest ingestion of one version, with values as literals', () => {
    const q = datasetVersionSql(db, "iris'; DROP", 'v1');
    expect(q.text).toContain("dataset_id = 'iris\\'; DROP'");
    expect(shape(q)).toContain("FROM mls.datasets WHERE dataset_id = '?' AND version = '?' ORDER BY _offset DESC LIMIT 1");
  });
});
