/**
 * Key-sorted JSON. Records decoded from Avro are class instances, those a
 * decider or an audit builds are plain objects: compare their values only.
 */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
