import type { FastifyInstance } from 'fastify';
import { Summary, type Registry } from 'prom-client';
import { z } from 'zod';
import { MlstreamError } from '@mlstream/kit';
import { readFeatures, type FeatureStatus } from '../domain/index.ts';
import type { DefinitionsFollower } from '../processor/definitions.ts';
import type { OnlineView } from '../processor/online-view.ts';

/** At most this many entities × features per request. */
export const MAX_ONLINE_CELLS = 100_000;

export const onlineRequest = z
  .object({
    view: z.string().min(1).max(250).optional().describe('Feature view; `features` then names features of it (default: all of its features).'),
    features: z.array(z.string().min(1).max(500)).min(1).max(1000).optional().describe('Feature names of `view`, or `<view>:<feature>` references when no view is given.'),
    entityKeys: z.array(z.string().max(1000)).min(1).max(10_000),
  })
  .refine((b) => b.view !== undefined || b.features !== undefined, { message: 'give a view, features, or both' });
export type OnlineRequest = z.infer<typeof onlineRequest>;

export interface OnlineResult {
  entityKey: string;
  values: Record<string, number | string | null>;
  /** Event time (epoch ms) of each value, also of an expired one; null when missing. */
  eventTimes: Record<string, number | null>;
  statuses: Record<string, FeatureStatus>;
}

/** Resolves the request into (output name, view, feature) triples, grouped by view. */
function plan(body: OnlineRequest, definitions: DefinitionsFollower, view: OnlineView, firstKey: string): Map<string, Array<{ name: string; feature: string }>> {
  const byView = new Map<string, Array<{ name: string; feature: string }>>();
  const add = (v: string, name: string, feature: string) => {
    const list = byView.get(v) ?? [];
    list.push({ name, feature });
    byView.set(v, list);
  };
  if (body.view !== undefined) {
    const declared = definitions.get(body.view)?.features;
    const features = body.features ?? declared ?? Object.keys(view.get(body.view, firstKey)?.features ?? {});
    if (!body.features && !declared) throw new MlstreamError('FEATURE_VIEW_NOT_FOUND', `feature view ${body.view} is not defined (name its features to read values logged without a definition)`);
    const unknown = declared ? features.filter((f) => !declared.includes(f)) : [];
    if (unknown.length) throw new MlstreamError('INVALID_REQUEST', `not features of view ${body.view}: ${unknown.join(', ')}`);
    for (const f of features) add(body.view, f, f);
    return byView;
  }
  for (const ref of body.features!) {
    const at = ref.indexOf(':');
    if (at <= 0 || at === ref.length - 1) throw new MlstreamError('INVALID_REQUEST', `expected <view>:<feature>, got ${ref}`);
    add(ref.slice(0, at), ref, ref.slice(at + 1));
  }
  return byView;
}

/** Reads the online values of entities: pure reads of the in-memory view, TTL applied at read time. */
export function readOnline(body: OnlineRequest, definitions: DefinitionsFollower, view: OnlineView, now: number): OnlineResult[] {
  const byView = plan(body, definitions, view, body.entityKeys[0]!);
  const cells = body.entityKeys.length * [...byView.values()].reduce((n, l) => n + l.length, 0);
  if (cells > MAX_ONLINE_CELLS) throw new MlstreamError('LIMIT_EXCEEDED', `${cells} entity × feature cells asked, at most ${MAX_ONLINE_CELLS}`);
  return body.entityKeys.map((entityKey) => {
    const result: OnlineResult = { entityKey, values: {}, eventTimes: {}, statuses: {} };
    for (const [v, wanted] of byView) {
      const reads = readFeatures(view.get(v, entityKey), wanted.map((w) => w.feature), now, definitions.get(v)?.ttlMs);
      reads.forEach((r, i) => {
        const name = wanted[i]!.name;
        result.values[name] = r.value;
        result.eventTimes[name] = r.eventTime;
        result.statuses[name] = r.status;
      });
    }
    return result;
  });
}

/**
 * `POST /v1/features/online` on the features service. Answers 503 until the
 * view is restored from the changelog. The time spent answering (parse, read,
 * serialize; not the network) is on /metrics as `mlstream_feature_online_seconds`.
 */
export const onlineRoutes = (deps: { view: OnlineView; definitions: DefinitionsFollower; registry?: Registry }) => async (app: FastifyInstance) => {
  const took = new Summary({ name: 'mlstream_feature_online_seconds', help: 'Time the features service spends answering POST /v1/features/online (parse, read, serialize), over the last 10 minutes', percentiles: [0.5, 0.99, 0.999], maxAgeSeconds: 600, ageBuckets: 5, registers: deps.registry ? [deps.registry] : [] });
  app.post('/v1/features/online', async (request, reply) => {
    const started = process.hrtime.bigint();
    if (!deps.view.ready()) throw new MlstreamError('ONLINE_VIEW_RESTORING');
    const parsed = onlineRequest.safeParse(request.body);
    if (!parsed.success) throw new MlstreamError('INVALID_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const body = JSON.stringify({ results: readOnline(parsed.data, deps.definitions, deps.view, deps.view.now()) });
    took.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return reply.type('application/json').send(body);
  });
};
