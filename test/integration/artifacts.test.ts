import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type ArtifactStored } from '@mlstream/kit';
import { startGateway, type RunningGateway } from '@mlstream/gateway';
import { applyTestTopics, connections, testKafka, testLogger, uniqueName, waitFor } from '../helpers/index.ts';
import { apiKeysSpec, tokens } from '../fixtures/gateway/index.ts';

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

// The mlflow-artifacts proxy against the real Kafka and registry: an upload is
// durable bytes plus an ArtifactStored event acknowledged by Kafka before the
// client hears 200; a download hashes the blob before the first byte leaves.
describe('artifacts: the mlflow-artifacts API over the content-addressed store', () => {
  const prefix = `${uniqueName('art')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('artifacts-test');
  const MAX_BYTES = 256 * 1024;
  const runId = randomUUID().replace(/-/g, '');
  const runDir = `27/${runId}/artifacts`;
  let root: string;
  let gateway: RunningGateway;

  const call = (method: string, url: string, options: { body?: Buffer | string; token?: string; contentType?: string } = {}) =>
    fetch(`${gateway.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${options.token ?? tokens.trainer}`, ...(options.contentType ? { 'content-type': options.contentType } : {}) },
      body: typeof options.body === 'string' || options.body === undefined ? options.body : new Uint8Array(options.body),
    });
  const upload = (artifactPath: string, body: Buffer | string, contentType = 'application/octet-stream', token?: string) =>
    call('PUT', `/api/2.0/mlflow-artifacts/artifacts/${artifactPath}`, { body, contentType, token });
  const list = async (dir: string) => {
    const res = await call('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(dir)}`, { token: tokens.reader });
    expect(res.status).toBe(200);
    return (await res.json()) as { files?: Array<{ path: string; is_dir: boolean; file_size?: number }> };
  };
  const stored = async () => (await readTopic(kafka, serde, catalog.topic('artifacts'))).filter((e) => e.type === 'ArtifactStored');

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mlstream-artifacts-it-'));
    await applyTestTopics(kafka, catalog);
    gateway = await startGateway({
      env: { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_GATEWAY_PORT: '0', MLSTREAM_GATEWAY_API_KEYS: apiKeysSpec, MLSTREAM_ARTIFACT_ROOT: root, MLSTREAM_ARTIFACT_MAX_BYTES: String(MAX_BYTES) },
      signals: false,
      logger: testLogger('gateway'),
    });
    await gateway.commandsReady;
  });
  afterAll(async () => {
    await gateway?.stop();
    await rm(root, { recursive: true, force: true });
  });

  const text = 'hello';
  const binary = randomBytes(1000);

  it('answers an upload 200 only once its ArtifactStored (path, owner, sha256, size, uri) is in Kafka', async () => {
    const res = await upload(`${runDir}/a.txt`, text, 'text/plain');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-mlstream-consistency')).toMatch(new RegExp(`^${prefix.replace(/\./g, '\\.')}mlops\\.artifacts\\.v1:\\d+:\\d+$`));
    const events = await stored();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.key).toBe(runId);
    expect(event!.value).toMatchObject({ path: `${runDir}/a.txt`, experimentId: '27', runId, loggedModelId: null, size: 5, sha256: sha(text), actor: 'trainer' });
    const uri = (event!.value as ArtifactStored).uri;
    expect(fileURLToPath(uri)).toBe(path.join(root, 'blobs', sha(text).slice(0, 2), sha(text)));
    const [, partition, offset] = res.headers.get('x-mlstream-consistency')!.split(':').slice(-3);
    expect(`${event!.partition}:${event!.offset}`).toBe(`${partition}:${offset}`);
  });

  it('stores any content type raw (a JSON content type is not parsed) and downloads identical bytes with MLflow headers', async () => {
    expect((await upload(`${runDir}/dir/sub/b.bin`, binary)).status).toBe(200);
    expect((await upload(`${runDir}/dir/a.txt`, text, 'text/plain')).status).toBe(200);
    const notJson = '{"not": json';
    expect((await upload(`${runDir}/notes/n.json`, notJson, 'application/json')).status).toBe(200);

    const bin = await call('GET', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/dir/sub/b.bin`, { token: tokens.reader });
    expect(bin.status).toBe(200);
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect(bin.headers.get('content-length')).toBe('1000');
    expect(bin.headers.get('content-disposition')).toContain('attachment; filename="b.bin"');
    expect(bin.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await bin.arrayBuffer()).equals(binary)).toBe(true);

    const txt = await call('GET', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/dir/a.txt`, { token: tokens.reader });
    expect(txt.headers.get('content-type')).toBe('text/plain');
    expect(await txt.text()).toBe(text);
    const json = await call('GET', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/notes/n.json`, { token: tokens.reader });
    expect(await json.text()).toBe(notJson);
  });

  it('lists a folder as MLflow does: direct children, folders without a size; {} when empty', async () => {
    expect(await list(runDir)).toEqual({
      files: [
        { path: 'a.txt', is_dir: false, file_size: 5 },
        { path: 'dir', is_dir: true },
        { path: 'notes', is_dir: true },
      ],
    });
    expect(await list(`${runDir}/dir`)).toEqual({ files: [{ path: 'a.txt', is_dir: false, file_size: 5 }, { path: 'sub', is_dir: true }] });
    expect(await list(`${runDir}/dir/sub`)).toEqual({ files: [{ path: 'b.bin', is_dir: false, file_size: 1000 }] });
    expect(await list(`27/${runId}/artifacts/model`)).toEqual({});
  });

  it('records a logged model as the owner of <experimentId>/models/<modelId>/artifacts/...; same bytes share one blob', async () => {
    const modelPath = '27/models/m-0123456789abcdef/artifacts/MLmodel';
    expect((await upload(modelPath, text, 'text/plain')).status).toBe(200);
    const event = (await stored()).find((e) => (e.value as ArtifactStored).path === modelPath)!;
    expect(event.key).toBe('m-0123456789abcdef');
    expect(event.value).toMatchObject({ experimentId: '27', runId: null, loggedModelId: 'm-0123456789abcdef', sha256: sha(text) });
    const first = (await stored()).find((e) => (e.value as ArtifactStored).path === `${runDir}/a.txt`)!;
    expect((event.value as ArtifactStored).uri).toBe((first.value as ArtifactStored).uri);
    const res = await call('GET', `/api/2.0/mlflow-artifacts/artifacts/${modelPath}`, { token: tokens.reader });
    expect(res.headers.get('content-type')).toBe('text/plain');
  });

  it('refuses a blob corrupted or lost on disk: 500 ARTIFACT_CORRUPT in MLflow error shape, none of its bytes served', async () => {
    const bytes = Buffer.from('weights v1 '.repeat(100));
    expect((await upload(`${runDir}/model.bin`, bytes)).status).toBe(200);
    const event = (await stored()).find((e) => (e.value as ArtifactStored).path === `${runDir}/model.bin`)!;
    await writeFile(fileURLToPath((event.value as ArtifactStored).uri), Buffer.from('weights v2 '.repeat(100)));
    const res = await call('GET', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/model.bin`, { token: tokens.reader });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { error_code: string; message: string };
    expect(body.error_code).toBe('INTERNAL_ERROR');
    expect(body.message).toMatch(/^ARTIFACT_CORRUPT: /);
    expect(JSON.stringify(body)).not.toContain('weights v2');

    // A recorded blob gone from disk is lost data, not an unknown path.
    expect((await upload(`${runDir}/lost.bin`, 'soon gone')).status).toBe(200);
    await rm(path.join(root, 'blobs', sha('soon gone').slice(0, 2), sha('soon gone')));
    const lost = await call('GET', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/lost.bin`, { token: tokens.reader });
    expect(lost.status).toBe(500);
    expect(((await lost.json()) as { message: string }).message).toMatch(/^ARTIFACT_CORRUPT: .*missing from the artifact store/);
  });

  it('answers 413 past MLSTREAM_ARTIFACT_MAX_BYTES and records nothing', async () => {
    const before = (await stored()).length;
    const res = await upload(`${runDir}/huge.bin`, Buffer.alloc(MAX_BYTES + 1));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error_code: 'BAD_REQUEST', message: expect.stringMatching(/^PAYLOAD_TOO_LARGE: /) });
    // Without a Content-Length (chunked), the limit is found while streaming: still a 413, still nothing recorded.
    const chunks = [Buffer.alloc(MAX_BYTES / 2), Buffer.alloc(MAX_BYTES / 2), Buffer.alloc(10)];
    const chunked = await fetch(`${gateway.url}/api/2.0/mlflow-artifacts/artifacts/${runDir}/chunked.bin`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.trainer}`, 'content-type': 'application/octet-stream' },
      body: new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await upload(`${runDir}/exact.bin`, Buffer.alloc(MAX_BYTES))).toHaveProperty('status', 200);
    expect((await stored()).length).toBe(before + 1);
    // A body without any Content-Type is stored raw too.
    const untyped = await fetch(`${gateway.url}/api/2.0/mlflow-artifacts/artifacts/${runDir}/untyped.bin`, { method: 'PUT', headers: { authorization: `Bearer ${tokens.trainer}` }, body: new Uint8Array([1, 2, 3]) });
    expect(untyped.status).toBe(200);
    const back = await call('GET', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/untyped.bin`, { token: tokens.reader });
    expect([...new Uint8Array(await back.arrayBuffer())]).toEqual([1, 2, 3]);
    const empty = await fetch(`${gateway.url}/api/2.0/mlflow-artifacts/artifacts/${runDir}/empty.txt`, { method: 'PUT', headers: { authorization: `Bearer ${tokens.trainer}` } });
    expect(empty.status).toBe(200);
    expect((await stored()).find((e) => (e.value as ArtifactStored).path === `${runDir}/empty.txt`)?.value).toMatchObject({ size: 0, sha256: sha('') });
  });

  it('reads its writes through another gateway sharing the store, given the consistency header of the upload', async () => {
    const other = await startGateway({
      env: { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_GATEWAY_PORT: '0', MLSTREAM_GATEWAY_API_KEYS: apiKeysSpec, MLSTREAM_ARTIFACT_ROOT: root, MLSTREAM_GATEWAY_INSTANCE_ID: 'art-b' },
      signals: false,
      logger: testLogger('gateway-b'),
    });
    try {
      await other.commandsReady;
      for (let i = 0; i < 5; i++) {
        const bytes = randomBytes(2000);
        const put = await upload(`${runDir}/across/${i}.bin`, bytes);
        expect(put.status).toBe(200);
        const token = put.headers.get('x-mlstream-consistency')!;
        const headers = { authorization: `Bearer ${tokens.reader}`, 'x-mlstream-consistency': token };
        const got = await fetch(`${other.url}/api/2.0/mlflow-artifacts/artifacts/${runDir}/across/${i}.bin`, { headers });
        expect(got.status).toBe(200);
        expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
        const listed = (await (await fetch(`${other.url}/api/2.0/mlflow-artifacts/artifacts?path=${runDir}/across`, { headers })).json()) as { files: unknown[] };
        expect(listed.files).toHaveLength(i + 1);
      }
    } finally {
      await other.stop();
    }
  });

  it('forgets an upload the client abandons halfway: no blob, no temp file, no event', async () => {
    const before = (await stored()).length;
    const { port } = new URL(gateway.url);
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(port), method: 'PUT', path: `/api/2.0/mlflow-artifacts/artifacts/${runDir}/abandoned.bin`, headers: { authorization: `Bearer ${tokens.trainer}`, 'content-length': '100000' } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(50_000, 1), (error) => {
        if (error) return reject(error);
        req.destroy();
        resolve();
      });
    });
    await waitFor(async () => (await readdir(path.join(root, 'blobs', 'tmp'))).length === 0, { what: 'the temp file of the abandoned upload to go', timeoutMs: 10_000, intervalMs: 20 });
    expect(await list(`${runDir}`)).not.toEqual(expect.objectContaining({ files: expect.arrayContaining([expect.objectContaining({ path: 'abandoned.bin' })]) }));
    expect((await stored()).length).toBe(before);
  });

  it('speaks MLflow errors: unknown file 404, unsafe path 400, missing scope 403, no key 401, delete ENDPOINT_NOT_FOUND, multipart NOT_IMPLEMENTED', async () => {
    const missing = await call('GET', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/nope.txt`, { token: tokens.reader });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    // fetch resolves literal `..` segments itself; an encoded slash reaches the gateway as one.
    const unsafe = await upload(`${runDir}/x%2F..%2F..%2F..%2Fescape.txt`, text);
    expect(unsafe.status).toBe(400);
    expect(await unsafe.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    const unsafeList = await call('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent('../..')}`, { token: tokens.reader });
    expect(unsafeList.status).toBe(400);
    const reader = await upload(`${runDir}/r.txt`, text, 'text/plain', tokens.reader);
    expect(reader.status).toBe(403);
    expect(await reader.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    const anonymous = await fetch(`${gateway.url}/api/2.0/mlflow-artifacts/artifacts?path=${runDir}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    const del = await call('DELETE', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/a.txt`);
    expect(del.status).toBe(404);
    expect(await del.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
    // MLflow's exact refusal, which makes clients that opted into multipart uploads fall back to one PUT.
    const mpu = await call('POST', `/api/2.0/mlflow-artifacts/mpu/create/${runDir}/big.bin`, { body: '{"path": "big.bin", "num_parts": 2}', contentType: 'application/json' });
    expect(mpu.status).toBe(501);
    expect(await mpu.json()).toEqual({ error_code: 'NOT_IMPLEMENTED', message: 'Multipart upload is not supported for the current artifact repository' });
    const patch = await call('PATCH', `/api/2.0/mlflow-artifacts/artifacts/${runDir}/a.txt`, { body: 'x', contentType: 'text/plain' });
    expect(patch.status).toBe(404);
    expect(await patch.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
    const other = await call('GET', '/api/2.0/mlflow-artifacts/presigned/x');
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
    expect(await list(`${runDir}/r.txt`)).toEqual({});
  });
});
