import type { StoredArtifact } from '../views/types.ts';

/** One entry of MLflow's list answer: a file with its size, or a folder (no size). */
export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/**
 * The direct children of `dir` given every artifact stored under it, as
 * MLflow's server lists a folder: names relative to `dir`, folders without a
 * size, sorted by name. A path stored as a file and later used as a folder
 * lists as a folder (there is no deleting to make sense of it otherwise).
 */
export function childrenOf(dir: string, under: readonly StoredArtifact[]): FileInfo[] {
  const base = dir === '' ? '' : `${dir}/`;
  const entries = new Map<string, FileInfo>();
  for (const artifact of under) {
    if (!artifact.path.startsWith(base)) continue;
    const rest = artifact.path.slice(base.length);
    if (rest === '') continue;
    const slash = rest.indexOf('/');
    if (slash >= 0) entries.set(rest.slice(0, slash), { path: rest.slice(0, slash), is_dir: true });
    else if (!entries.get(rest)?.is_dir) entries.set(rest, { path: rest, is_dir: false, file_size: artifact.size });
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
