import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, profileDataset, readTopic, resolveCatalog, type RunningService } from '@mlstream/kit';
import { runMaterializerService, type RunningMaterializer } from '@mlstream/materializer';
import { startValidator } from '@mlstream/validator';
import { applyTestTopics, connections, startCommandProcessors, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// Issue 17, the suite half, against real Kafka, schema registry and ClickHouse:
// a dataset suite declared through the API, a version violating it validated
// by the platform (DatasetValidated, the producer's disagreeing verdict
// recorded), materialized and served; then the validatedData promotion gate
// refuses a model trained on it, and lets it through with an override reason.
describe('expectation suites and dataset validation', () => {
  const prefix = `${uniqueName('dval')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn' };
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('data-validation');
  let gw: TestGateway;
  let materializer: RunningMaterializer;
  const services: RunningService[] = [];

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    materializer = await runMaterializerService({ env: { ...env, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200' }, signals: false });
    services.push(...(await startCommandProcessors(env)), await startValidator({ env, signals: false }));
    gw = await startTestGateway({ prefix, env: { MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn' } });
    await gw.commandsReady;
  }, 120_000);
  afterAll(async () => {
    await gw?.stop();
    await Promise.all(services.map((s) => s.stop()));
    await materializer?.stop();
  });

  const suite = [
    { kind: 'column_present', column: 'age' },
    { kind: 'null_share_at_most', column: 'age', max: 0.1 },
    { kind: 'values_between', column: 'age', min: 0, max: 120 },
    { kind: 'values_in_set', column: 'plan', values: ['basic', 'pro'] },
    { kind: 'row_count_between', min: 5 },
  ];

  it('a version violating its suite gets DatasetValidated with the failing expectations, the producer disagreement recorded', async () => {
    const declared = await gw.call('PUT', '/v1/datasets/loans/expectations', { body: { expectations: suite, reason: 'first cut' }, token: tokens.writer });
    expect(declared.status, JSON.stringify(declared.body)).toBe(200);
    expect(declared.body).toMatchObject({ subject: 'dataset:loans', version: 1, changed: true });
    const again = await gw.call('PUT', '/v1/datasets/loans/expectations', { body: { expectations: suite }, token: tokens.writer });
    expect(again.body).toMatchObject({ version: 1, changed: false });
    const invalid = await gw.call('PUT', '/v1/datasets/loans/expectations', { body: { expectations: [{ kind: 'null_share_at_most', column: 'age', max: 2 }] }, token: tokens.writer });
    expect(invalid.status).toBe(400);

    // 10 rows: 3 ages missing, one of 250; a category outside the set. The producer says all is well.
    const ages = [30, 41, null, 25, 250, null, 38, 52, null, 47];
    const rows = ages.map((age, i) => ({ numericFeatures: { age }, categoricalFeatures: { plan: i === 0 ? 'gold' : 'basic' } }));
    const { features, profile } = profileDataset(rows);
    const body = { version: 'v1', uri: 'file:///loans/v1.parquet', contentSha256: 'a'.repeat(64), rowCount: rows.length, features, profile, validation: { passed: true, checks: [] }, producer: 'nightly-etl' };
    const published = await gw.call('POST', '/v1/datasets/loans/versions', { body, token: tokens.writer });
    expect(published.status, JSON.stringify(published.body)).toBe(202);

    const validated = await waitFor(async () => (await readTopic(kafka, serde, catalog.topic('validation'))).find((e) => e.type === 'DatasetValidated'), { what: 'DatasetValidated', timeoutMs: 60_000, intervalMs: 500 });
    if (validated.type !== 'DatasetValidated') throw new Error('unreachable');
    expect(validated.value).toMatchObject({ datasetId: 'loans', version: 'v1', suiteVersion: 1, verdict: 'failed', passed: false, producerPassed: true, producerDisagrees: true });
    expect(validated.value.results.map((r) => [r.name, r.passed])).toEqual([
      ['column_present(age)', true],
      ['null_share_at_most(age, 0.1)', false],
      ['values_between(age, 0..120)', false],
      ['values_in_set(plan, 2 values)', false],
      ['row_count_between(5..+inf)', true],
    ]);
    expect(validated.value.results[1]).toMatchObject({ observedValue: 0.3, evaluable: true });

    const served = await waitFor(
      async () => {
        const r = await gw.call('GET', '/v1/datasets/loans/versions/v1/validation', { token: tokens.reader });
        return r.status === 200 && r.body;
      },
      { what: 'the validation in ClickHouse', timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(served).toMatchObject({ verdict: 'failed', producerDisagrees: true, suiteVersion: 1, results: [{ passed: true }, { observed: 0.3, passed: false }, { passed: false }, { observed: 0.1, passed: false }, { observed: 10 }] });
    const suites = await waitFor(async () => {
      const r = await gw.call('GET', '/v1/datasets/loans/expectations', { token: tokens.reader });
      return r.status === 200 && r.body;
    });
    expect(suites).toMatchObject({ subject: 'dataset:loans', current: { version: 1, expectations: suite, reason: 'first cut', actor: 'pipeline' } });
    expect((await gw.call('GET', '/v1/datasets/loans/expectations?at=1', { token: tokens.reader })).status).toBe(404);
  }, 120_000);

  it('the validatedData gate refuses Production for a model trained on it, with the reason, and an override lets it through', async () => {
    const trainer = (method: string, path: string, body?: unknown) => gw.call(method, path, { body, token: tokens.trainer });
    const runId = (await trainer('POST', '/v1/runs', { experiment: 'loans' })).body.runId as string;
    expect((await trainer('POST', `/v1/runs/${runId}/inputs`, { inputs: [{ datasetId: 'loans', version: 'v1' }] })).status).toBe(200);
    expect((await trainer('POST', '/v1/models/credit/versions', { runId, artifactUri: 's3://m/credit/1' })).status).toBe(201);

    const refused = await waitFor(
      async () => {
        const r = await trainer('POST', '/v1/models/credit/versions/1/stage', { stage: 'PRODUCTION', requireValidatedData: true });
        // Until the registry has read the validation, the refusal says "no platform validation"; then it names the failures.
        return r.status === 422 && String(r.body.detail ?? r.body.message).includes('failed validation') && r;
      },
      { what: 'a refusal naming the failed validation', timeoutMs: 30_000, intervalMs: 300 },
    );
    expect(refused.body).toMatchObject({ code: 'GATE_FAILED' });
    expect(JSON.stringify(refused.body)).toContain('loans@v1 failed validation: null_share_at_most(age, 0.1), values_between(age, 0..120), values_in_set(plan, 2 values)');

    const allowed = await trainer('POST', '/v1/models/credit/versions/1/stage', { stage: 'PRODUCTION', requireValidatedData: true, overrideReason: 'nulls are backfilled downstream (INC-42)' });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    const transitioned = (await readTopic(kafka, serde, catalog.topic('registry'))).find((e) => e.type === 'StageTransitioned');
    expect(transitioned?.value).toMatchObject({ model: 'credit', version: 1, toStage: 'PRODUCTION', dataValidation: { datasets: ['loans@v1'], failed: ['loans@v1'], overridden: true, overrideReason: 'nulls are backfilled downstream (INC-42)' } });
  }, 120_000);
});
