import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type avro from 'avsc';
import { checkBackwardTransitive, readSchemaFiles } from '@mlstream/kit';

// The compatibility gate: every schema in the tree must read every event ever
// written with any earlier version of itself in git history (BACKWARD_TRANSITIVE).
const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Each committed version of a file: commit and path at that commit (renames followed). */
function history(file: string): Array<{ commit: string; schema: avro.schema.RecordType }> {
  const log = git('log', '--follow', '--format=@%H', '--name-only', '--', file).split('\n');
  const versions: Array<{ commit: string; schema: avro.schema.RecordType }> = [];
  let commit = '';
  for (const line of log) {
    if (line.startsWith('@')) commit = line.slice(1);
    else if (line.trim() && commit) {
      try {
        versions.push({ commit, schema: JSON.parse(git('show', `${commit}:${line.trim()}`)) as avro.schema.RecordType });
      } catch {
        // Deleted at that commit (the last step of a rename): nothing to read.
      }
      commit = '';
    }
  }
  return versions;
}

describe('schema compatibility gate (git history)', () => {
  const files = readSchemaFiles();

  it.each(files.map((f) => [f.file, f] as const))('%s reads every earlier version of itself', (_, f) => {
    const earlier = history(f.file).map((v) => ({ label: `${f.file}@${v.commit.slice(0, 10)}`, schema: v.schema }));
    const problems = checkBackwardTransitive(f.schema, earlier);
    expect(problems.map((p) => p.message)).toEqual([]);
  });

  it('would fail on an incompatible edit, naming schema, field and version', () => {
    const target = files.find((f) => f.name === 'PredictionLogged')!;
    const edited = {
      ...target.schema,
      fields: [...target.schema.fields, { name: 'tenant', type: 'string', doc: 'Required new field without a default.' }],
    } as avro.schema.RecordType;
    const problems = checkBackwardTransitive(edited, [{ label: `${target.file}@HEAD`, schema: target.schema }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(`PredictionLogged cannot read data written with ${target.file}@HEAD: tenant (added without a default)`);
  });
});
