import { describe, expect, it } from 'vitest';
import { transactionalIdOf } from '../exactly-once/index.ts';
import { processorTransactionalIdPrefix } from './runtime.ts';

// A rolling upgrade runs the previous release beside this one: both must use the
// same transactional id for a partition, or neither fences the other.
describe('transactional ids stay those of the previous release', () => {
  it('command processors: <group>-<command topic>-<partition>', () => {
    const id = transactionalIdOf(processorTransactionalIdPrefix('p.mlstream-tracking', 'p.mlops.runs.commands.v1'), 3);
    expect(id).toBe('p.mlstream-tracking-p.mlops.runs.commands.v1-3');
  });

  it('drift detector (the group is the prefix): <group>-<partition>', () => {
    expect(transactionalIdOf('p.mlstream-drift-detector', 5)).toBe('p.mlstream-drift-detector-5');
  });
});
