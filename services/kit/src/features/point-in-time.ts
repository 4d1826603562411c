import { createHash } from 'node:crypto';

/**
 * Point-in-time retrieval (docs/features.md): for each entity row, the
 * latest values of a view at or before the row's timestamp and within the
 * view's TTL. This file holds the request and answer shapes and the
 * brute-force reference the ClickHouse formulation is tested against.
 */

/** One row of the entity frame: join keys by key name (driver_id: 1001) and the time the row is "as of". */
export interface EntityRow {
  entities: Record<string, string | number>;
  /** Epoch ms; values with a later event time are never returned (no leakage). */
  timestamp: number;
}

/** `view:feature`, as Feast writes feature references. */
export interface FeatureRef {
  ref: string;
  view: string;
  feature: string;
}

export function parseFeatureRef(ref: string): FeatureRef | undefined {
  const i = ref.indexOf(':');
  if (i <= 0 || i === ref.length - 1 || ref.indexOf(':', i + 1) !== -1) return undefined;
  return { ref, view: ref.slice(0, i), feature: ref.slice(i + 1) };
}

export type FeatureValue = number | string | null;

/** The answer for one entity row, in request order. */
export interface HistoricalRow {
  entities: Record<string, string | number>;
  timestamp: number;
  /** By feature reference; null when no value is in reach (never seen, all later, or expired). */
  values: Record<string, FeatureValue>;
}

/** What retrieval needs to know of a view: its entity's key name and its TTL. */
export interface ViewForRetrieval {
  name: string;
  keyName: string;
  /** 0: values never expire. */
  ttlSeconds: number;
}

/** A logged FeatureValuesLogged as the reference sees it. */
export interface LoggedValues {
  view: string;
  entityKey: string;
  occurredAt: number;
  numericValues: Record<string, number>;
  categoricalValues: Record<string, string>;
  /** Log order of the record (Kafka offset: one key lives in one partition); the later one wins a tie on occurredAt. */
  position: number;
}

/**
 * Whether an event at `eventTime` is in reach of a row at `timestamp`:
 * at or before it, and no older than the TTL (both bounds inclusive).
 */
export const inReach = (eventTime: number, timestamp: number, ttlSeconds: number): boolean =>
  eventTime <= timestamp && (ttlSeconds === 0 || eventTime >= timestamp - ttlSeconds * 1000);

/** The deterministic winner among events in reach: latest event time, then latest in the log. */
export const later = (a: { occurredAt: number; position: number }, b: { occurredAt: number; position: number }): boolean =>
  a.occurredAt > b.occurredAt || (a.occurredAt === b.occurredAt && a.position > b.position);

export const valueOf = (event: Pick<LoggedValues, 'numericValues' | 'categoricalValues'>, feature: string): FeatureValue =>
  Object.hasOwn(event.numericValues, feature) ? event.numericValues[feature]! : Object.hasOwn(event.categoricalValues, feature) ? event.categoricalValues[feature]! : null;

/** The brute-force reference: every row against every event, O(rows × events). */
export function pointInTimeReference(rows: readonly EntityRow[], refs: readonly FeatureRef[], views: ReadonlyMap<string, ViewForRetrieval>, events: readonly LoggedValues[]): HistoricalRow[] {
  const byView = new Map<string, FeatureRef[]>();
  for (const r of refs) byView.set(r.view, [...(byView.get(r.view) ?? []), r]);
  return rows.map((row) => {
    const values: Record<string, FeatureValue> = {};
    for (const [viewName, viewRefs] of byView) {
      const view = views.get(viewName);
      if (!view) throw new Error(`unknown view ${viewName}`);
      const key = row.entities[view.keyName];
      let best: LoggedValues | undefined;
      if (key !== undefined) {
        for (const e of events) {
          if (e.view !== viewName || e.entityKey !== String(key) || !inReach(e.occurredAt, row.timestamp, view.ttlSeconds)) continue;
          if (!best || later(e, best)) best = e;
        }
      }
      for (const r of viewRefs) values[r.ref] = best ? valueOf(best, r.feature) : null;
    }
    return { entities: row.entities, timestamp: row.timestamp, values };
  });
}

/**
 * The training set as bytes: JSON Lines, one row per line, keys in a fixed
 * order (entities by key name, then `timestamp`, then features in request
 * order). Its SHA-256 is the dataset version's content hash.
 */
export function trainingSetJsonl(rows: readonly HistoricalRow[], refs: readonly FeatureRef[]): string {
  return rows
    .map((row) => {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(row.entities).sort()) out[k] = row.entities[k];
      out.timestamp = row.timestamp;
      for (const r of refs) out[r.ref] = row.values[r.ref] ?? null;
      return `${JSON.stringify(out)}\n`;
    })
    .join('');
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
