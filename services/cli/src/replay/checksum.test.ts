import { describe, expect, it } from 'vitest';
import { Sql } from '@mlstream/materializer';
import { beyondFilter, hashArguments, keyColumns, metricsChecksumSql, rangeFilter, tableChecksumSql, type TableInfo } from './checksum.ts';
import type { PartitionRange } from './range.ts';

const ranges: PartitionRange[] = [
  { topic: 't.runs', partition: 0, start: 0, end: 10 },
  { topic: 't.runs', partition: 1, start: 5, end: 5 }, // empty: nothing replayed there
  { topic: "t.o'dd", partition: 0, start: 3, end: 4 },
];

describe('checksum SQL for ClickHouse 18.16', () => {
  it('hashes Nullable columns as (isNull, value) and arrays of Nullables as text: cityHash64 refuses Nullable', () => {
    expect(
      hashArguments([
        { name: '_offset', type: 'UInt64' },
        { name: 'gate_passed', type: 'Nullable(UInt8)' },
        { name: 'feature_p_values', type: 'Array(Nullable(Float64))' },
        { name: 'tags', type: 'Array(String)' },
      ]).text,
    ).toBe('_offset, isNull(gate_passed), assumeNotNull(gate_passed), toString(feature_p_values), tags');
    expect(() => hashArguments([{ name: 'x; DROP TABLE y', type: 'String' }])).toThrow(/not allowed/);
  });

  it('restricts rows to the replayed offsets of their topic, literals escaped, empty ranges left out', () => {
    expect(rangeFilter('t.runs', ranges).text).toBe("(_topic = 't.runs' AND ((_partition = 0 AND _offset >= 0 AND _offset < 10)))");
    expect(rangeFilter("t.o'dd", ranges).text).toBe("(_topic = 't.o\\'dd' AND ((_partition = 0 AND _offset >= 3 AND _offset < 4)))");
    expect(rangeFilter('t.none', ranges).text).toBe('0');
    expect(beyondFilter('t.runs', ranges).text).toBe("(_topic = 't.runs' AND ((_partition = 0 AND _offset >= 10) OR (_partition = 1 AND _offset >= 5)))");
  });

  it('fingerprints a MergeTree with count() and the wrapping sum of row hashes', () => {
    const info: TableInfo = { table: 'run_params', engine: 'MergeTree', sortingKey: 'run_id, key', columns: [{ name: '_offset', type: 'UInt64' }, { name: 'value', type: 'String' }] };
    expect(tableChecksumSql(new Sql('r'), info, info.columns, 't.runs', ranges, new Sql('live')).text).toBe(
      "SELECT count() AS rows, toString(sum(cityHash64(_offset, value))) AS checksum FROM r.run_params WHERE (_topic = 't.runs' AND ((_partition = 0 AND _offset >= 0 AND _offset < 10)))",
    );
  });

  it('compares a ReplacingMergeTree as FINAL, without keys the live database replaced after the range end', () => {
    const info: TableInfo = { table: 'run_tags', engine: 'ReplacingMergeTree', sortingKey: 'run_id, key', columns: [{ name: '_offset', type: 'UInt64' }, { name: 'run_id', type: 'String' }, { name: 'key', type: 'String' }] };
    expect(keyColumns(info)).toEqual(['run_id', 'key']);
    const text = tableChecksumSql(new Sql('r'), info, info.columns, 't.runs', ranges, new Sql('live')).text;
    expect(text).toContain('FROM (SELECT * FROM r.run_tags FINAL) WHERE');
    expect(text).toContain("AND (run_id, key) NOT IN (SELECT run_id, key FROM live.run_tags WHERE (_topic = 't.runs' AND ((_partition = 0 AND _offset >= 10) OR (_partition = 1 AND _offset >= 5))))");
    expect(keyColumns({ ...info, sortingKey: 'run_id' })).toEqual(['run_id']);
  });

  it('fingerprints the per-minute view by its finalized requests and errors', () => {
    expect(metricsChecksumSql(new Sql('r')).text).toContain('SELECT model, version, minute, countMerge(requests) AS n, sumMerge(errors) AS e FROM r.model_metrics_1m GROUP BY model, version, minute');
  });
});
