// A dataset profile in a few words for the run page's inputs. Pure.
import { formatNumber } from '../../format.ts';

interface ColumnProfile {
  name?: string;
  count?: number;
  nulls?: number;
  numeric?: { min: number; max: number; mean: number } | null;
  categorical?: { counts: Record<string, number> } | null;
}

const MAX_COLUMNS = 4;

/** `3 columns: age mean 41.2 [18, 90]; plan 3 categories; income 12 nulls; …` */
export function profileSummary(profile: unknown): string {
  if (profile === null || profile === undefined) return 'no profile';
  if (!Array.isArray(profile)) return typeof profile === 'object' ? `${Object.keys(profile).length} fields` : String(profile);
  if (profile.length === 0) return 'no columns profiled';
  const parts = (profile as ColumnProfile[]).slice(0, MAX_COLUMNS).map((c) => {
    const bits = [c.name ?? '?'];
    if (c.numeric) bits.push(`mean ${formatNumber(c.numeric.mean)} [${formatNumber(c.numeric.min)}, ${formatNumber(c.numeric.max)}]`);
    else if (c.categorical) bits.push(`${Object.keys(c.categorical.counts).length} categories`);
    if (c.nulls) bits.push(`${c.nulls} nulls`);
    return bits.join(' ');
  });
  return `${profile.length} column${profile.length === 1 ? '' : 's'}: ${parts.join('; ')}${profile.length > MAX_COLUMNS ? '; …' : ''}`;
}
