import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { Sql } from '../sql/index.ts';
import { countsByBin, driftFeatureSql, equalWidthEdges, parseReferenceId } from './drift-feature.ts';

const db = new Sql('mls');

describe('drift feature detail SQL', () => {
  it('reads the latest measurement of the window and bins predictions of its span on the given edges', () => {
    const q = driftFeatureSql(db, { model: "o'neil", windowId: 'm/1/COUNT/0', feature: 'age' });
    expect(q.measurement.text).toContain("FROM mls.drift_measurements WHERE model = 'o\\'neil' AND window_id = 'm/1/COUNT/0' ORDER BY _offset DESC LIMIT 1");
    expect(q.numeric(1, 10, 20, [0, 0.5, 1]).text).toBe(
      "SELECT toInt32(least(greatest(arrayCount(e -> e <= v, [0, 0.5, 1]), 1), 2) - 1) AS bin, count() AS n FROM (SELECT numeric_values[indexOf(numeric_keys, 'age')] AS v FROM mls.predictions WHERE model = 'o\\'neil' AND version = 1 AND occurred_ms >= 10 AND occurred_ms <= 20 AND has(numeric_keys, 'age')) GROUP BY bin ORDER BY bin",
    );
    expect(q.categorical(2, 10, 20).text).toContain("categorical_values[indexOf(categorical_keys, 'age')] AS c");
    expect(q.window('m/1/COUNT/0').text).toBe("SELECT version, window_start_ms, window_end_ms FROM mls.drift_measurements WHERE model = 'o\\'neil' AND window_id = 'm/1/COUNT/0' ORDER BY _offset DESC LIMIT 1");
    expect(q.reference('train', 'v1').text).toBe("SELECT profile_json FROM mls.datasets WHERE dataset_id = 'train' AND version = 'v1' ORDER BY _offset DESC LIMIT 1");
  });

  it('rejects oversized or empty names and bad versions', () => {
    const bad = (fn: () => unknown) => expect(() => fn()).toThrow(expect.toSatisfy((e: unknown) => isMlstreamError(e, 'INVALID_ANALYTICS_REQUEST')));
    bad(() => driftFeatureSql(db, { model: '', windowId: 'w', feature: 'f' }));
    bad(() => driftFeatureSql(db, { model: 'm', windowId: 'w'.repeat(1001), feature: 'f' }));
    bad(() => driftFeatureSql(db, { model: 'm', windowId: 'w', feature: 'f' }).numeric(-1, 0, 1, [0, 1]));
  });

  it('reference ids, equal-width edges and bin counts', () => {
    expect(parseReferenceId('dataset:train@v1')).toEqual({ datasetId: 'train', version: 'v1' });
    expect(parseReferenceId('dataset:a@b@v2')).toEqual({ datasetId: 'a@b', version: 'v2' });
    expect(parseReferenceId('window:0')).toBeUndefined();
    expect(equalWidthEdges(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(equalWidthEdges(3, 3)).toEqual([2.5, 3.5]);
    expect(countsByBin([{ bin: 0, n: 2 }, { bin: 2, n: 5 }, { bin: 9, n: 1 }], 3)).toEqual([2, 0, 5]);
  });
});
