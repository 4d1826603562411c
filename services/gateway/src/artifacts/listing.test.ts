import { describe, expect, it } from 'vitest';
import { childrenOf } from './listing.ts';

const stored = (path: string, size = 1) => ({ path, size, sha256: 'x'.repeat(64), uri: 'file:///x', storedAt: 0 });

describe('artifact listing', () => {
  const under = [stored('1/r/artifacts/a.txt', 5), stored('1/r/artifacts/dir/a.txt', 5), stored('1/r/artifacts/dir/sub/b.bin', 1000), stored('1/r/artifacts/notes/n.txt', 3)];

  it('lists the direct children as MLflow does: files with sizes, folders without, by name', () => {
    expect(childrenOf('1/r/artifacts', under)).toEqual([
      { path: 'a.txt', is_dir: false, file_size: 5 },
      { path: 'dir', is_dir: true },
      { path: 'notes', is_dir: true },
    ]);
    expect(childrenOf('1/r/artifacts/dir', under)).toEqual([
      { path: 'a.txt', is_dir: false, file_size: 5 },
      { path: 'sub', is_dir: true },
    ]);
  });

  it('lists nothing for a file or an unknown folder, and from the root when the folder is ""', () => {
    expect(childrenOf('1/r/artifacts/a.txt', under)).toEqual([]);
    expect(childrenOf('1/r/artifacts/none', under)).toEqual([]);
    expect(childrenOf('', under)).toEqual([{ path: '1', is_dir: true }]);
  });

  it('ignores paths that only share a prefix of the name', () => {
    expect(childrenOf('1/r/art', under)).toEqual([]);
  });
});
