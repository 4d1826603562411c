import { createSchemaRegistryClient, createSerde, resolveCatalog, experimentIdOf } from '@mlstream/kit';
import { connections, testKafka } from '../../helpers/index.ts';
import { startPlatform, API_KEY } from '../platform.ts';
import { sweepRuns, writeSweep } from '../sweep.ts';

const t0 = Date.now();
const platform = await startPlatform({ label: 'bsweep' });
console.log('platform up', Date.now() - t0);
try {
  const catalog = resolveCatalog(platform.prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('sweep');
  const experiment = 'sweep-x';
  const runs = sweepRuns({ seed: 7, count: 10_000, tag: 'swx', startAt: Date.now() - 3_600_000 });
  const w = await writeSweep({ kafka, serde, experiment, runs });
  console.log('written', w);
  const t1 = Date.now();
  const id = experimentIdOf(experiment);
  for (;;) {
    const r = await fetch(`${platform.gatewayUrl}/v1/experiments/${id}/runs?maxResults=1&filter=${encodeURIComponent("attributes.run_name = 'sweep-09999'")}`, { headers: { authorization: `Bearer ${API_KEY}` } });
    const j = await r.json() as { runs?: unknown[] };
    if (j.runs?.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log('gateway view sees all', Date.now() - t1);
  const t2 = Date.now();
  const all = await fetch(`${platform.gatewayUrl}/v1/experiments/${id}/runs?maxResults=10000`, { headers: { authorization: `Bearer ${API_KEY}` } });
  const txt = await all.text();
  console.log('10k runs GET', Date.now() - t2, 'ms', txt.length, 'bytes');
  // API path: N runs via start + batch + finish, C concurrent clients
  const N = 200, C = 8;
  const t3 = Date.now();
  let i = 0;
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${platform.gatewayUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`${path} ${r.status} ${await r.text()}`);
    return r.json() as Promise<{ runId?: string }>;
  };
  await Promise.all(Array.from({ length: C }, async () => {
    while (i < N) {
      const run = runs[i++]!;
      const { runId } = await post('/v1/runs', { experiment: 'sweep-api', name: run.name });
      await post(`/v1/runs/${runId}/batch`, { params: run.params, metrics: Object.entries(run.metrics).map(([key, value]) => ({ key, value, step: 2 })), tags: {} });
      await post(`/v1/runs/${runId}/finish`, { status: 'FINISHED' });
    }
  }));
  const ms = Date.now() - t3;
  console.log(`API path: ${N} runs in ${ms} ms with ${C} clients → 10 000 in ~${Math.round(ms * 10_000 / N / 1000)} s`);
} finally {
  await platform.stop();
}
