// Formatting shared by the registry, model, health and drift views.

/** Date-time in UTC for tables: `2026-11-27 18:10:23`. */
export const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
