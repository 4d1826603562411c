import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type avro from 'avsc';
import { checkBackwardTransitive, readSchemaFiles } from '@mlstream/kit';

// The compatibility gate: every schema in the tree must read every event ever
// written with any earlier version of itself in git history (BACKWARD_TRANSITIVE).
// It needs that history: in a shallow clone or outside git it would compare
// each schema with nothing and pass without checking anything, so it fails instead.
const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });

/** Why the git history cannot be used, or undefined when it can. */
function historyProblem(): string | undefined {
  let shallow: string;
  try {
    shallow = git('rev-parse', '--is-shallow-repository').trim();
  } catch (error) {
    return `git cannot read the repository here (${(error as Error).message.split('\n')[0]}); run the tests from a git clone of mlstream`;
  }
  if (shallow !== 'false') return 'this is a shallow clone, so earlier schema versions are missing; run `git fetch --unshallow` (in CI: fetch-depth: 0)';
  return undefined;
}

const tracked = (file: string): boolean => {
  try {
    git('ls-files', '--error-unmatch', '--', file);
    return true;
  } catch {
    return false;
  }
};

/**
 * Each committed version of a file on the main line: commit and path at that
 * commit (renames followed). `--first-parent` keeps the versions main carried
 * and leaves out the drafts inside a merged work branch, which never reached a
 * deployment (a schema reworked twice on its branch before landing is one
 * version, the one that landed). `--follow` also reports copies: a new schema that looks like an
 * old one (C067) is a new file, not the old one's next version, so the walk
 * stops there.
 */
function history(file: string): Array<{ commit: string; schema: avro.schema.RecordType }> {
  const log = git('log', '--first-parent', '--follow', '--format=@%H', '--name-status', '--', file).split('\n');
  const versions: Array<{ commit: string; schema: avro.schema.RecordType }> = [];
  let commit = '';
  for (const line of log) {
    if (line.startsWith('@')) commit = line.slice(1);
    else if (line.trim() && commit) {
      const [status = '', ...paths] = line.split('\t');
      const path = paths.at(-1)!.trim();
      let text: string | undefined;
      try {
        text = git('show', `${commit}:${path}`);
      } catch (error) {
        // Deleted at that commit (the last step of a rename): nothing to read. Any other git failure is one.
        if (!/does not exist in|exists on disk, but not in/.test(String((error as { stderr?: unknown }).stderr ?? error))) throw error;
      }
      if (text !== undefined) versions.push({ commit, schema: JSON.parse(text) as avro.schema.RecordType });
      commit = '';
      if (status.startsWith('C')) break;
    }
  }
  return versions;
}

describe('schema compatibility gate (git history)', () => {
  const files = readSchemaFiles();
  const problem = historyProblem();

  it('has the full git history to check against', () => {
    expect(problem, problem).toBeUndefined();
    // Every committed schema has at least its own commit in the history.
    const committed = files.filter((f) => tracked(f.file));
    expect(committed.length, 'no schema file is committed: nothing to check').toBeGreaterThan(0);
    const without = committed.filter((f) => history(f.file).length === 0).map((f) => f.file);
    expect(without, `committed schemas without any version in git history: ${without.join(', ')}`).toEqual([]);
  });

  it.each(files.map((f) => [f.file, f] as const))('%s reads every earlier version of itself', (_, f) => {
    if (problem) throw new Error(`cannot check ${f.file}: ${problem}`);
    const earlier = history(f.file).map((v) => ({ label: `${f.file}@${v.commit.slice(0, 10)}`, schema: v.schema }));
    // A new schema (not committed yet) has no earlier version; a committed one has at least one.
    if (tracked(f.file)) expect(earlier.length, `no committed version of ${f.file} found in git history`).toBeGreaterThan(0);
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
