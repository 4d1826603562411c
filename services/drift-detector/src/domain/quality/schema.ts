import type { ProfileReference } from '../reference.ts';
import type { Sample } from '../state.ts';

/**
 * The training schema a window's quality is judged against, taken from the
 * detector's reference: the training profile when the lineage gives one, else
 * the reference window. Plain JSON (it lives in the detector's snapshots).
 */
export interface QualitySchema {
  /** Where it comes from: the profile's id (`dataset:<id>@<version>`) or the reference window's id. */
  id: string;
  /** Numeric features and their training [min, max]. */
  numeric: Record<string, [number, number]>;
  /**
   * Categorical features and their training categories; null when the set is
   * not known in full (a profile that keeps its top-k categories and counts
   * the rest as "other"): the unseen share is then not measured.
   */
  categorical: Record<string, Record<string, 1> | null>;
  /** Features constant in the reference: a constant window of them is no finding. */
  constant: string[];
}

/** The schema of a training profile: ranges are its first and last bin edges (its min and max). */
export function schemaFromProfile(profile: ProfileReference): QualitySchema {
  const numeric: QualitySchema['numeric'] = {};
  const categorical: QualitySchema['categorical'] = {};
  const constant: string[] = [];
  for (const [name, { edges }] of Object.entries(profile.numeric)) {
    numeric[name] = [edges[0]!, edges[edges.length - 1]!];
    if (edges[0] === edges[edges.length - 1]) constant.push(name);
  }
  for (const [name, { counts, other }] of Object.entries(profile.categorical)) {
    const known = Object.keys(counts);
    categorical[name] = other > 0 ? null : Object.fromEntries(known.map((c) => [c, 1 as const]));
    if (known.length === 1 && other === 0) constant.push(name);
  }
  return { id: profile.id, numeric, categorical, constant: constant.sort() };
}

/** The schema of a reference window: the features it carried, their observed ranges and categories. */
export function schemaFromSample(id: string, sample: Sample): QualitySchema {
  const numeric: QualitySchema['numeric'] = {};
  const categorical: QualitySchema['categorical'] = {};
  const constant: string[] = [];
  for (const [name, values] of Object.entries(sample.numeric)) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min > max) continue; // no finite value: nothing to hold a window to
    numeric[name] = [min, max];
    if (min === max) constant.push(name);
  }
  for (const [name, counts] of Object.entries(sample.categorical)) {
    const known = Object.keys(counts);
    categorical[name] = Object.fromEntries(known.map((c) => [c, 1 as const]));
    if (known.length === 1) constant.push(name);
  }
  return { id, numeric, categorical, constant: constant.sort() };
}
