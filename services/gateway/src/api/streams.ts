import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MlstreamError, type StreamId } from '@mlstream/kit';
import { formatPositions, openTail, parsePositions, type Tail } from '../kafka/index.ts';
import type { RouteDeps } from './deps.ts';

/** The enders of open streams; graceful shutdown calls each. */
export type OpenStreams = Set<() => Promise<void>>;

const query = z.object({
  model: z.string().min(1).max(250).optional().describe('Only events of this model (drift, retrain, registry).'),
  experiment: z.string().min(1).max(250).optional().describe('Only events of runs of this experiment (runs stream); events of runs the gateway does not know yet are sent.'),
  runs: z
    .string()
    .max(25_000)
    .regex(/^[^,]*(,[^,]*){0,99}$/, 'at most 100 comma-separated run ids')
    .optional()
    .describe('Only events of these runs, comma-separated run ids (runs stream; at most 100).'),
  from: z.enum(['earliest', 'latest']).default('latest').describe('Where a subscription without Last-Event-ID starts.'),
});
const headers = z.object({
  'last-event-id': z.string().max(200_000).optional().describe('Resume after the event with this id (`partition:nextOffset,...`).'),
});

/**
 * Server-Sent Events over a Kafka topic. Each event's id is the position just
 * after it on every partition, so a client that reconnects with
 * Last-Event-ID (browsers' EventSource do it by themselves) misses nothing
 * and sees nothing twice.
 */
export const streamRoutes = (deps: RouteDeps, open: OpenStreams) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const streams: Array<{ path: string; stream: StreamId; records: string }> = [
    { path: '/streams/retrain', stream: 'retrain', records: 'RetrainRequested' },
    { path: '/streams/drift', stream: 'drift', records: 'DriftMeasured, DriftDetected, LabelsDropped' },
    { path: '/streams/runs', stream: 'runs', records: 'the run events of mlops.runs.v1 (RunStarted, MetricsLogged, ParamsLogged, TagsSet, RunFinished, ...)' },
    { path: '/streams/registry', stream: 'registry', records: 'the registry events of mlops.registry.v1 (ModelVersionRegistered, StageTransitioned, AliasSet, ...)' },
  ];
  /** The experiment of a run event: its own field (RunStarted) or the read view's run; undefined when not known yet. */
  const experimentOf = (value: { experimentId?: unknown; runId?: unknown }): string | undefined =>
    typeof value.experimentId === 'string' ? value.experimentId : typeof value.runId === 'string' ? deps.view.run(value.runId)?.experimentId : undefined;
  for (const { path, stream, records } of streams) {
    app.get(
      path,
      {
        config: { scope: 'read' },
        schema: {
          tags: ['streams'],
          summary: `Subscribe to ${records} as Server-Sent Events (text/event-stream), resumable with Last-Event-ID`,
          querystring: query,
          headers,
        },
      },
      async (request, reply) => {
        const raw = request.headers['last-event-id'];
        const resume = raw === undefined || raw === '' ? undefined : parsePositions(raw);
        if (raw !== undefined && raw !== '' && !resume) {
          throw new MlstreamError('INVALID_REQUEST', 'Last-Event-ID must be partition:offset[,partition:offset...] as sent in an event id', {
            details: { errors: [{ path: 'headers.last-event-id', message: 'expected partition:offset[,partition:offset...]' }] },
          });
        }
        if (open.size >= deps.maxStreams) throw new MlstreamError('TOO_MANY_STREAMS', `the gateway already serves ${deps.maxStreams} event streams`);
        const { model, experiment } = request.query;
        const runs = request.query.runs === undefined ? undefined : new Set(request.query.runs.split(',').map((id) => id.trim()));
        const out = reply.raw;
        let tail: Tail | undefined;
        const timers: { heartbeat?: NodeJS.Timeout } = {};
        const write = async (chunk: string) => {
          if (out.destroyed) return;
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve).once('close', resolve));
        };
        let opened: () => void = () => {};
        const headersSent = new Promise<void>((resolve) => (opened = resolve));
        let ended = false;
        const end = async () => {
          if (ended) return;
          ended = true;
          opened();
          open.delete(end);
          clearInterval(timers.heartbeat);
          await tail?.close();
          if (!out.destroyed) out.end();
        };
        open.add(end);
        try {
          tail = await openTail({
            kafka: deps.kafka,
            serde: deps.serde,
            logger: deps.logger,
            topic: deps.catalog.topic(stream),
            resume,
            from: request.query.from,
            onEvent: async (event, position) => {
              await headersSent;
              if (ended) return;
              if (model !== undefined && (event.value as { model?: string }).model !== model) return;
              if (runs !== undefined && !runs.has((event.value as { runId?: string }).runId ?? '')) return;
              if (experiment !== undefined) {
                const of = experimentOf(event.value as { experimentId?: unknown; runId?: unknown });
                if (of !== undefined && of !== experiment) return;
              }
              const data = JSON.stringify({ type: event.type, topic: event.topic, partition: event.partition, offset: event.offset, value: event.value });
              await write(`id: ${formatPositions(position)}\nevent: ${event.type}\ndata: ${data}\n\n`);
            },
            onError: (error) => {
              deps.logger.warn({ err: error, stream }, 'stream.consumer_failed');
              void end();
            },
          });
        } catch (cause) {
          await end();
          throw new MlstreamError('KAFKA_UNAVAILABLE', 'could not open the stream on Kafka; retry with the same Last-Event-ID', { cause });
        }
        reply.hijack();
        out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        // An id-only block: a reconnect before any event resumes exactly here.
        await write(`retry: 2000\nid: ${formatPositions(tail.start)}\n\n`);
        opened();
        timers.heartbeat = setInterval(() => void write(': keep-alive\n\n'), deps.heartbeatMs);
        request.raw.once('close', () => void end());
      },
    );
  }
};
