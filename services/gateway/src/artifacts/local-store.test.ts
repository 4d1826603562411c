import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { createLocalArtifactStore } from './local-store.ts';

const sha = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const body = (...chunks: Array<string | Buffer>) => Readable.from(chunks.map((c) => Buffer.from(c)));
const MAX = { maxBytes: 1024 * 1024 };

describe('local artifact store', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mlstream-artifacts-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores bytes under blobs/<sha[0:2]>/<sha256> and names them by their sha256, size and file URI', async () => {
    const store = createLocalArtifactStore({ root });
    const blob = await store.put(body('hel', 'lo'), MAX);
    const file = path.join(root, 'blobs', sha('hello').slice(0, 2), sha('hello'));
    expect(blob).toEqual({ sha256: sha('hello'), size: 5, uri: `file://${file}` });
    expect(fileURLToPath(blob.uri)).toBe(file);
    expect(await readFile(file, 'utf8')).toBe('hello');
    expect(await store.has(blob.sha256)).toBe(true);
    expect(await store.stat(blob.sha256)).toEqual({ size: 5 });
    expect(store.uriOf(blob.sha256)).toBe(blob.uri);
  });

  it('stores an empty body as the empty blob', async () => {
    const blob = await createLocalArtifactStore({ root }).put(Readable.from([]), MAX);
    expect(blob).toMatchObject({ sha256: sha(''), size: 0 });
  });

  it('is idempotent: the same bytes again give the same blob and leave no temp files', async () => {
    const store = createLocalArtifactStore({ root });
    const first = await store.put(body('model bytes'), MAX);
    const second = await store.put(body('model ', 'bytes'), MAX);
    expect(second).toEqual(first);
    expect(await readdir(path.join(root, 'blobs', 'tmp'))).toEqual([]);
  });

  it('takes concurrent puts of one blob: every put resolves to it and the file holds the bytes once', async () => {
    const store = createLocalArtifactStore({ root });
    const bytes = Buffer.alloc(300_000, 7);
    const blobs = await Promise.all(Array.from({ length: 8 }, () => store.put(Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), MAX)));
    expect(new Set(blobs.map((b) => b.sha256))).toEqual(new Set([sha(bytes)]));
    expect((await readFile(fileURLToPath(blobs[0]!.uri))).equals(bytes)).toBe(true);
    expect(await readdir(path.join(root, 'blobs', 'tmp'))).toEqual([]);
  });

  it('opens a blob only after its bytes hashed to its name, and serves those bytes', async () => {
    const store = createLocalArtifactStore({ root });
    const { sha256 } = await store.put(body('served'), MAX);
    const blob = await store.open(sha256);
    expect(blob.size).toBe(6);
    expect(await text(blob.stream())).toBe('served');
  });

  it('refuses a blob changed on disk (ARTIFACT_CORRUPT, naming both hashes) and a missing one (ARTIFACT_NOT_FOUND)', async () => {
    const store = createLocalArtifactStore({ root });
    const { sha256, uri } = await store.put(body('original'), MAX);
    await writeFile(fileURLToPath(uri), 'tampered');
    const corrupt = await store.open(sha256).catch((e: unknown) => e);
    expect(isMlstreamError(corrupt, 'ARTIFACT_CORRUPT')).toBe(true);
    expect((corrupt as Error).message).toContain(sha('tampered'));
    const missing = await store.open(sha('never stored')).catch((e: unknown) => e);
    expect(isMlstreamError(missing, 'ARTIFACT_NOT_FOUND')).toBe(true);
    expect(await store.has(sha('never stored'))).toBe(false);
    expect(await store.stat('not-a-sha')).toBeUndefined();
  });

  it('heals a corrupt blob when the same bytes are put again', async () => {
    const store = createLocalArtifactStore({ root });
    const { sha256, uri } = await store.put(body('precious'), MAX);
    await writeFile(fileURLToPath(uri), 'bitrot!!');
    await store.put(body('precious'), MAX);
    expect(await text((await store.open(sha256)).stream())).toBe('precious');
  });

  it('refuses a body past maxBytes with PAYLOAD_TOO_LARGE and stores nothing', async () => {
    const store = createLocalArtifactStore({ root });
    const error = await store.put(body('12345', '67890', 'x'), { maxBytes: 10 }).catch((e: unknown) => e);
    expect(isMlstreamError(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect(await readdir(path.join(root, 'blobs', 'tmp'))).toEqual([]);
    expect(await store.has(sha('1234567890x'))).toBe(false);
    expect(await store.put(body('1234567890'), { maxBytes: 10 })).toMatchObject({ size: 10 });
  });

  it('removes temp files a crash left behind a day ago, and only those', async () => {
    const tmp = path.join(root, 'blobs', 'tmp');
    await mkdir(tmp, { recursive: true });
    await writeFile(path.join(tmp, 'old.part'), 'half');
    await utimes(path.join(tmp, 'old.part'), new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
    await writeFile(path.join(tmp, 'recent.part'), 'in flight elsewhere');
    await createLocalArtifactStore({ root }).put(body('x'), MAX);
    expect(await readdir(tmp)).toEqual(['recent.part']);
  });

  it('says how to fix a relative root', () => {
    expect(() => createLocalArtifactStore({ root: 'artifacts' })).toThrow(/absolute folder path/);
  });
});
