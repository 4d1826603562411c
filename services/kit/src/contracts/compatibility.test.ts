import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type avro from 'avsc';
import { checkBackwardTransitive } from './compatibility.ts';

const fixture = (name: string) => JSON.parse(fs.readFileSync(new URL(`../../../../test/fixtures/compat/${name}`, import.meta.url), 'utf8')) as avro.schema.RecordType;

describe('checkBackwardTransitive', () => {
  const v1 = fixture('Reading.v1.avsc');
  const v2 = fixture('Reading.v2-compatible.avsc');
  const broken = fixture('Reading.v3-incompatible.avsc');

  it('accepts a schema that only adds fields with defaults', () => {
    expect(checkBackwardTransitive(v2, [{ label: 'v1', schema: v1 }])).toEqual([]);
  });

  it('rejects a new field without a default and a narrowed type, naming the fields and the version', () => {
    const problems = checkBackwardTransitive(broken, [
      { label: 'v1', schema: v1 },
      { label: 'v2', schema: v2 },
    ]);
    expect(problems.map((p) => p.against)).toEqual(['v1', 'v2']);
    expect(problems[0]!.fields).toEqual(['value (type changed incompatibly)', 'unit (added without a default)']);
    expect(problems[0]!.message).toMatch(/^Reading cannot read data written with v1: value/);
  });
});
