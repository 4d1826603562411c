import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentIdOf, resolveCatalog, type RunningService } from '@mlstream/kit';
import { applyTestTopics, startCommandProcessors, testKafka, uniqueName } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';
import { createClient } from '@mlstream/sdk';

const WRITERS = 4;
const ITERATIONS = Number(process.env.RYW_ITERATIONS ?? 75);

const runIdsOf = (body: unknown) => (body as { runs: Array<{ runId: string }> }).runs.map((r) => r.runId);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

// Read-your-writes against the real stack: every write the gateway answered
// is visible to the very next read (GET run, metric history, search), with
// no sleep anywhere; across gateway instances when the client passes the
// X-Mlstream-Consistency header the write answer carried.
describe('read-your-writes: the gateway read view', () => {
  const prefix = `${uniqueName('ryw')}.`;
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('read-your-writes');
  let gw: TestGateway;
  let other: TestGateway;
  let processors: RunningService[] = [];

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    processors = await startCommandProcessors({ ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' });
    [gw, other] = await Promise.all([startTestGateway({ prefix }), startTestGateway({ prefix })]);
    await Promise.all([gw.commandsReady, other.commandsReady]);
  });
  afterAll(async () => {
    await gw?.stop();
    await other?.stop();
    await Promise.all(processors.map((p) => p.stop()));
  });

  const post = (g: TestGateway, path: string, body: unknown) => g.call('POST', path, { body, token: tokens.trainer });
  const get = (g: TestGateway, path: string, headers: Record<string, string> = {}) => g.call('GET', path, { token: tokens.reader, headers });

  it(`${WRITERS} concurrent writers see each write in the next read, ${WRITERS * ITERATIONS} times each way`, async () => {
    const visible: number[] = [];
    const writes: number[] = [];
    const writer = async (w: number) => {
      const experiment = `ryw-${w}`;
      const experimentId = experimentIdOf(experiment);
      for (let i = 0; i < ITERATIONS; i++) {
        const started = await post(gw, '/v1/runs', { experiment, name: `w${w}-${i}` });
        expect(started.status, JSON.stringify(started.body)).toBe(201);
        expect(started.headers.get('x-mlstream-consistency')).toMatch(new RegExp(`^${catalog.topic('runs').replace(/\./g, '\\.')}:\\d+:\\d+$`));
        const runId = started.body.runId as string;
        const lr = `0.${w}${i}`;
        const params = await post(gw, `/v1/runs/${runId}/params`, { params: { lr } });
        expect(params.status).toBe(200);
        const metrics = await post(gw, `/v1/runs/${runId}/metrics`, { metrics: [{ key: 'acc', value: i, step: i }] });
        expect(metrics.status).toBe(200);
        writes.push(params.ms, metrics.ms);

        const answered = performance.now();
        const run = await get(gw, `/v1/runs/${runId}`);
        visible.push(performance.now() - answered);
        expect(run.status).toBe(200);
        expect(run.body).toMatchObject({ runId, experimentId, runName: `w${w}-${i}`, params: { lr }, latestMetrics: { acc: { value: i, step: i } }, version: 3 });

        const search = await get(gw, `/v1/experiments/${experimentId}/runs?filter=${encodeURIComponent(`params.lr = '${lr}' and metrics.acc >= ${i}`)}`);
        expect(search.status, JSON.stringify(search.body)).toBe(200);
        expect(runIdsOf(search.body)).toEqual([runId]);
        const newest = await get(gw, `/v1/experiments/${experimentId}/runs?maxResults=1`);
        expect(runIdsOf(newest.body)).toEqual([runId]); // default order: start_time DESC
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const history = await get(gw, `/v1/experiments/${experimentIdOf('ryw-0')}/runs?maxResults=1000`);
    expect(runIdsOf(history.body)).toHaveLength(ITERATIONS);
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    // The barrier's own share, from the gateway's histogram: reads that had to wait, and how many within 50 ms.
    const text = String(((await gw.call('GET', '/metrics', { token: null })).body as { text?: string }).text ?? '');
    const bucket = (le: string) => Number(new RegExp(`mlstream_gateway_view_barrier_seconds_bucket\\{[^}]*le="${le.replace('+', '\\+')}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? NaN);
    console.log(`read view barrier: ${bucket('+Inf')} reads, ${bucket('0.0005')} passed at once (≤ 0.5 ms), ${bucket('0.05')} within 50 ms`);
    console.log(
      `read-your-writes: ${visible.length} reads right after writes, all visible; write-to-visible (answer → read answered) p50 ${ms(quantile(visible, 0.5))}, p99 ${ms(quantile(visible, 0.99))}, max ${ms(Math.max(...visible))}; write call p50 ${ms(quantile(writes, 0.5))}, p99 ${ms(quantile(writes, 0.99))}`,
    );
  });

  it('another gateway instance sees the write when the client passes X-Mlstream-Consistency', async () => {
    for (let i = 0; i < 20; i++) {
      const started = await post(gw, '/v1/runs', { experiment: 'ryw-cross' });
      const runId = started.body.runId as string;
      const tagged = await post(gw, `/v1/runs/${runId}/tags`, { tags: { round: String(i) } });
      const token = tagged.headers.get('x-mlstream-consistency');
      expect(token).toBeTruthy();
      const read = await get(other, `/v1/runs/${runId}`, { 'x-mlstream-consistency': token! });
      expect(read.status).toBe(200);
      expect(read.body.tags).toEqual({ round: String(i) });
    }
    expect((await get(other, '/v1/runs/x', { 'x-mlstream-consistency': 'not a token' })).body).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('the SDK carries the token itself: behind a round-robin balancer every read sees the write before it', async () => {
    let n = 0;
    const balanced: typeof fetch = (input, init) => fetch(String(input).replace(gw.url, n++ % 2 ? other.url : gw.url), init);
    const client = createClient({ baseUrl: gw.url, apiKey: tokens.admin, fetch: balanced });
    for (let i = 0; i < 20; i++) {
      const run = await client.runs.start({ experiment: 'ryw-sdk', name: `sdk-${i}` });
      await run.logParams({ i });
      await run.logMetrics({ loss: 1 / (i + 1) }, { step: i });
      const read = await client.runs.read(run.runId);
      expect(read).toMatchObject({ runName: `sdk-${i}`, params: { i: String(i) }, latestMetrics: { loss: { value: 1 / (i + 1), step: i } } });
      expect(await client.runs.metricHistory(run.runId, 'loss')).toHaveLength(1);
      const page = await client.runs.search(read.experimentId, { filter: `params.i = '${i}'` });
      expect(page.runs.map((r) => r.runId)).toEqual([run.runId]);
    }
    expect((await client.experiments.byName('ryw-sdk'))?.experimentId).toBe(experimentIdOf('ryw-sdk'));
  });

  it('registry and experiment reads follow the writes too', async () => {
    const run = await post(gw, '/v1/runs', { experiment: 'ryw-registry' });
    const runId = run.body.runId as string;
    const model = uniqueName('m');
    const registered = await post(gw, `/v1/models/${model}/versions`, { runId, artifactUri: 's3://bucket/model' });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect((await get(gw, `/v1/models/${model}/versions/1`)).body).toMatchObject({ model, version: 1, runId, stage: 'DEVELOPMENT', source: 's3://bucket/model' });
    expect((await gw.call('PUT', `/v1/models/${model}/aliases/champion`, { body: { version: 1 }, token: tokens.trainer })).status).toBe(200);
    expect((await get(gw, `/v1/models/${model}/aliases/champion`)).body).toMatchObject({ version: 1, aliases: ['champion'] });
    expect((await get(gw, `/v1/models/${model}`)).body).toMatchObject({ name: model, aliases: { champion: 1 } });
    expect(((await get(gw, '/v1/models')).body as { models: Array<{ name: string }> }).models.map((m) => m.name)).toContain(model);
    const experiment = await get(gw, `/v1/experiments?name=ryw-registry`);
    expect(experiment.body.experiments).toMatchObject([{ experimentId: experimentIdOf('ryw-registry'), explicit: false, name: 'ryw-registry' }]);
    expect((await get(gw, `/v1/experiments/0`)).body).toMatchObject({ name: 'Default', artifactLocation: 'mlflow-artifacts:/0' });
    expect((await get(gw, `/v1/runs/${runId}`)).body.artifactUri).toBe(`mlflow-artifacts:/${experimentIdOf('ryw-registry')}/${runId}/artifacts`);
    expect((await get(gw, `/v1/runs/${runId}/metrics/acc`)).body).toEqual({ runId, key: 'acc', metrics: [] });
    for (const [path, code] of [
      ['/v1/runs/nope', 'RUN_NOT_FOUND'],
      ['/v1/experiments/123', 'EXPERIMENT_NOT_FOUND'],
      ['/v1/models/nope-model', 'MODEL_NOT_FOUND'],
      [`/v1/models/${model}/versions/9`, 'MODEL_VERSION_NOT_FOUND'],
      [`/v1/models/${model}/aliases/nope`, 'ALIAS_NOT_FOUND'],
    ] as const) {
      expect((await get(gw, path)).body, path).toMatchObject({ status: 404, code });
    }
  });
});
