import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordMetadata } from 'kafkajs';
import { MlstreamError, isMlstreamError, type ArtifactStored, type Serde } from '@mlstream/kit';
import { principalOf } from '../auth/index.ts';
import type { FactProducer } from '../kafka/index.ts';
import { CONSISTENCY_HEADER, formatConsistency, parseConsistency, type Position, type ReadView } from '../views/index.ts';
import type { ArtifactStore } from './artifact-store.ts';
import { contentTypeOf } from './content-type.ts';
import { childrenOf } from './listing.ts';
import { toMlflowError } from '../mlflow/errors.ts';
import { canonicalArtifactPath, ownerOf } from './paths.ts';

/** The part of the read view the artifact routes use. */
export type ArtifactView = Pick<ReadView, 'written' | 'barrier' | 'artifact' | 'artifactsUnder'>;

export interface ArtifactRouteDeps {
  store: ArtifactStore;
  view: ArtifactView;
  serde: Serde;
  producer: FactProducer;
  /** Largest artifact accepted (MLSTREAM_ARTIFACT_MAX_BYTES); beyond it 413 and nothing is stored. */
  maxBytes: number;
  /** Injected for tests; default Date.now. */
  now?: () => number;
}

/** The position of the one record a produce request carried by itself (FactProducer `alone`). */
const positionsOf = (acks: readonly RecordMetadata[]): Position[] => acks.map((a) => ({ topic: a.topicName, partition: a.partition, offset: a.baseOffset ?? '-1' }));

/** MLflow's `_UnsupportedMultipartUploadException.MESSAGE`, verbatim: its client matches on the prefix. */
export const MULTIPART_UNSUPPORTED = 'Multipart upload is not supported for the current artifact repository';

/** The wildcard part of `/artifacts/*`, canonical; refuses the root (a folder, not a file). */
function filePath(request: FastifyRequest): string {
  const raw = (request.params as { '*'?: string })['*'] ?? '';
  const canonical = canonicalArtifactPath(raw);
  if (canonical === '') throw new MlstreamError('INVALID_REQUEST', 'Invalid path: name a file under /api/2.0/mlflow-artifacts/artifacts/');
  return canonical;
}

/**
 * The body as a stream the store may fail without destroying the request:
 * on a store error the client still gets its answer (413 past the limit)
 * instead of a reset connection.
 */
function detached(body: unknown): Readable {
  if (!(body instanceof Readable)) return Readable.from([]);
  const pass = new PassThrough();
  body.on('error', (error) => pass.destroy(error));
  // A client that goes away mid-upload fails the put (its temp file goes); Node 20 also reports it as an error, this does not depend on that.
  body.on('close', () => {
    if (!body.readableEnded) pass.destroy(new MlstreamError('INVALID_REQUEST', 'the client closed the connection before the upload ended'));
  });
  body.pipe(pass);
  pass.on('close', () => body.unpipe(pass));
  return pass;
}

/**
 * Left out of the gateway's OpenAPI document, which describes mlstream's own
 * API and its problem+json errors: this is MLflow's API with MLflow's error
 * shape, documented in docs/artifacts.md.
 */
const hidden = { hide: true };

const attachment = (name: string) => {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
};

/**
 * MLflow's proxied artifact API (`mlflow-artifacts`), as its Python client
 * calls it (docs/artifacts.md): PUT uploads a file, GET downloads it, GET
 * without a file lists a folder. Register under `/api/2.0/mlflow-artifacts`.
 * Bodies are raw bytes of any content type; only this plugin reads them so.
 */
export const artifactRoutes = (deps: ArtifactRouteDeps) => async (app: FastifyInstance) => {
  const { store, view, serde, producer, maxBytes } = deps;
  const now = deps.now ?? Date.now;

  // Any content type, unparsed: the handler streams the body into the store.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toMlflowError(error);
    const fields = { reqId: request.id, route: request.routeOptions.url, code: body.error_code, status };
    if (status >= 500) request.log.error({ ...fields, err: error }, 'artifact.request_failed');
    else request.log.info({ ...fields, detail: body.message }, 'artifact.request_rejected');
    if (status === 413) reply.header('connection', 'close');
    return reply.code(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type('application/json').send({ error_code: 'ENDPOINT_NOT_FOUND', message: `no endpoint ${request.method} ${request.url.split('?')[0]} (docs/artifacts.md lists the artifact endpoints)` }),
  );

  const barrier = (request: FastifyRequest) => view.barrier(parseConsistency(request.headers[CONSISTENCY_HEADER]));

  // 1. bytes durable in the store, 2. ArtifactStored acknowledged by Kafka (acks=all), 3. the view told, 4. 200.
  app.put('/artifacts/*', { config: { scope: 'write:runs' }, schema: hidden }, async (request: FastifyRequest, reply: FastifyReply) => {
    const artifactPath = filePath(request);
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) throw new MlstreamError('PAYLOAD_TOO_LARGE', `the artifact is ${declared} bytes; at most ${maxBytes} are accepted (MLSTREAM_ARTIFACT_MAX_BYTES)`);
    const blob = await store.put(detached(request.body), { maxBytes });
    const value: ArtifactStored = { eventId: randomUUID(), occurredAt: now(), actor: principalOf(request).name, path: artifactPath, ...ownerOf(artifactPath), size: blob.size, sha256: blob.sha256, uri: blob.uri };
    const traceparent = typeof request.headers.traceparent === 'string' ? request.headers.traceparent : undefined;
    const record = await serde.encode('ArtifactStored', value, { correlationId: request.id, ...(traceparent ? { traceparent } : {}) });
    // Alone in its produce request: the acknowledged base offset is this record's own offset.
    const positions = positionsOf(await producer.send([record], { alone: true }));
    view.written(positions);
    request.log.info({ path: artifactPath, sha256: blob.sha256, size: blob.size, positions }, 'artifact.stored');
    return reply.code(200).header(CONSISTENCY_HEADER, formatConsistency(positions)).send();
  });

  // Verified before the first byte leaves: a blob that no longer hashes to its name is refused whole.
  app.get('/artifacts/*', { config: { scope: 'read' }, schema: hidden }, async (request: FastifyRequest, reply: FastifyReply) => {
    const artifactPath = filePath(request);
    await barrier(request);
    const stored = view.artifact(artifactPath);
    if (!stored) throw new MlstreamError('ARTIFACT_NOT_FOUND', `no artifact at ${artifactPath}`);
    const blob = await store.open(stored.sha256).catch((error: unknown) => {
      // The log says these bytes were stored: a blob gone from the store is lost data, not an unknown path.
      if (isMlstreamError(error, 'ARTIFACT_NOT_FOUND')) throw new MlstreamError('ARTIFACT_CORRUPT', `${artifactPath} was stored as blob ${stored.sha256}, which is missing from the artifact store`, { cause: error });
      throw error;
    });
    return reply
      .code(200)
      .header('content-type', contentTypeOf(artifactPath))
      .header('content-length', String(blob.size))
      .header('content-disposition', attachment(path.posix.basename(artifactPath)))
      .header('x-content-type-options', 'nosniff')
      .send(blob.stream());
  });

  app.get('/artifacts', { config: { scope: 'read' }, schema: hidden }, async (request: FastifyRequest) => {
    const given = (request.query as { path?: unknown }).path;
    if (given !== undefined && typeof given !== 'string') throw new MlstreamError('INVALID_REQUEST', 'Invalid path: pass `path` once');
    const dir = canonicalArtifactPath(given ?? '');
    await barrier(request);
    const files = childrenOf(dir, view.artifactsUnder(dir));
    // MLflow's JSON leaves out an empty list: `{}`.
    return files.length ? { files } : {};
  });

  // MLflow's own answer when its artifact repository has no multipart uploads: clients that opted in
  // (MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD) recognise this message and fall back to one streamed PUT.
  app.post('/mpu/:step/*', { schema: hidden }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { step } = request.params as { step: string };
    if (!['create', 'complete', 'abort'].includes(step)) return reply.callNotFound();
    return reply.code(501).type('application/json').send({ error_code: 'NOT_IMPLEMENTED', message: MULTIPART_UNSUPPORTED });
  });

  app.delete('/artifacts/*', { schema: hidden }, async () => {
    throw new MlstreamError('METHOD_NOT_ALLOWED', 'deleting artifacts is not supported: the store is content-addressed and the artifacts stream is the audit trail (docs/artifacts.md)');
  });
};
