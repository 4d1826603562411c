import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MlstreamError } from '@mlstream/kit';
import { acceptsGzip, staticAnswer } from './static-files.ts';

/**
 * GET/HEAD /ui and /ui/*: the built console (docs/console.md). Public, as
 * /docs is: the page holds no data; every API call it makes needs a key.
 */
export const consoleRoutes = (options: { dir: string }) => async (app: FastifyInstance) => {
  const serve = async (rest: string, request: FastifyRequest) => {
    let names: string[];
    try {
      names = await fs.readdir(options.dir);
    } catch {
      throw new MlstreamError('NOT_FOUND', `the console is not built in ${options.dir}: run \`npm run build:console\``);
    }
    const files = new Set(names);
    const query = request.url.includes('?') ? new URLSearchParams(request.url.slice(request.url.indexOf('?') + 1)) : undefined;
    const encoding = request.headers['accept-encoding'];
    const answer = staticAnswer(rest, files, { versioned: Boolean(query?.get('v')), acceptsGzip: acceptsGzip(Array.isArray(encoding) ? encoding.join(',') : encoding) });
    if (answer.kind === 'missing') throw new MlstreamError('NOT_FOUND', `the console has no file ${answer.name}`);
    if (!files.has(answer.file)) throw new MlstreamError('NOT_FOUND', `the console is not built in ${options.dir}: run \`npm run build:console\``);
    const body = await fs.readFile(path.join(options.dir, answer.gzip ? `${answer.file}.gz` : answer.file));
    return { answer, body };
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const rest = (request.params as { '*'?: string })['*'] ?? '';
    const { answer, body } = await serve(rest, request);
    reply.header('content-type', answer.contentType).header('cache-control', answer.cacheControl).header('vary', 'accept-encoding').header('x-content-type-options', 'nosniff');
    if (answer.gzip) reply.header('content-encoding', 'gzip');
    return reply.send(body);
  };
  const schema = { hide: true };
  app.get('/ui', { schema }, handler);
  app.get('/ui/*', { schema }, handler);
};
