import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerCache } from '../idempotency/index.ts';
import type { Position } from '../views/index.ts';
import type { RouteDeps } from './deps.ts';
import { acceptedBody, commandFields, idempotent, sendCommand } from './respond.ts';

// A write answer carries the positions of the events it produced, and the
// view is told about them before the client gets the answer.
describe('write answers: X-Mlstream-Consistency and view.written', () => {
  const app = Fastify();
  const written: Position[][] = [];
  let offset = 40;
  const deps = {
    answers: createAnswerCache(),
    now: () => 1_764_000_000_000,
    commandTimeoutMs: 1_000,
    serde: { encode: async () => ({ topic: 'c', message: { key: 'k', value: Buffer.alloc(0) } }) },
    producer: { send: async () => [] },
    waiter: {
      expect: (commandId: string) => ({
        cancel: () => {},
        outcome: Promise.resolve({
          type: 'CommandAccepted',
          value: {
            commandId,
            aggregateId: 'r1',
            aggregateVersion: 2,
            events: [
              { type: 'dev.mlstream.runs.ParamsLogged', eventId: 'e1', topic: 'p.mlops.runs.v1', partition: 3, offset: offset++ },
              { type: 'dev.mlstream.runs.TagsSet', eventId: 'e2', topic: 'p.mlops.runs.v1', partition: 3, offset: offset++ },
            ],
          },
          events: [],
        }),
      }),
    },
    view: { written: (positions: Position[]) => written.push(positions) },
  } as unknown as RouteDeps;

  beforeAll(async () => {
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (request) => {
      request.principal = { name: 'ci', scopes: new Set(['admin']) };
    });
    app.post('/v1/runs/:runId/params', (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { value } = await sendCommand(deps, ctx, 'LogParams', { ...commandFields(ctx, undefined), runId: 'r1', params: { a: '1' } });
        return { status: 200, body: acceptedBody(value) };
      }),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  it('records the positions with the view and answers them in the header', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/runs/r1/params', payload: {}, headers: { 'idempotency-key': 'k1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-mlstream-consistency']).toBe('p.mlops.runs.v1:3:40,p.mlops.runs.v1:3:41');
    expect(written).toEqual([
      [
        { topic: 'p.mlops.runs.v1', partition: 3, offset: 40 },
        { topic: 'p.mlops.runs.v1', partition: 3, offset: 41 },
      ],
    ]);
  });

  it('a replayed answer carries the same header, from its recorded events', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/runs/r1/params', payload: {}, headers: { 'idempotency-key': 'k1' } });
    expect(res.headers['idempotent-replayed']).toBe('true');
    expect(res.headers['x-mlstream-consistency']).toBe('p.mlops.runs.v1:3:40,p.mlops.runs.v1:3:41');
    expect(written).toHaveLength(1);
  });
});
