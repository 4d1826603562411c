import { Gauge, type Registry } from 'prom-client';
import type { OnlineView } from './online-view.ts';

/**
 * Freshness per view on /metrics, computed at scrape time from the served view:
 * the age of its newest value (now − latest event time) and, for the last
 * change applied, how long after its event time it became servable.
 */
export function registerFreshness(view: OnlineView, registry: Registry): void {
  const registers = [registry];
  new Gauge({
    name: 'mlstream_feature_freshness_seconds',
    help: 'Per feature view: now minus the latest event time of any value served (event-time lag of the online view)',
    labelNames: ['view'],
    registers,
    collect() {
      const now = view.now();
      for (const f of view.freshness()) this.set({ view: f.view }, Math.max(0, now - f.latestEventTime) / 1000);
    },
  });
  new Gauge({
    name: 'mlstream_feature_apply_lag_seconds',
    help: 'Per feature view: for the last change applied, the time it became servable minus its event time',
    labelNames: ['view'],
    registers,
    collect() {
      for (const f of view.freshness()) this.set({ view: f.view }, f.lastApplyLagMs / 1000);
    },
  });
  new Gauge({
    name: 'mlstream_feature_entities',
    help: 'Per feature view: entities held in the online view',
    labelNames: ['view'],
    registers,
    collect() {
      for (const f of view.freshness()) this.set({ view: f.view }, f.entities);
    },
  });
}
