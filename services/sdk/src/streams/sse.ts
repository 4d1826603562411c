import type { DriftDetected, DriftMeasured, RetrainRequested } from '@mlstream/kit';

export interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** Incremental text/event-stream parser (WHATWG): feed chunks, get dispatched messages and id changes. */
export function createSseParser(onMessage: (m: SseMessage) => void, onId: (id: string) => void = () => {}) {
  let buffer = '';
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  let idInBlock = false;
  const line = (l: string) => {
    if (l === '') {
      if (idInBlock && id !== undefined) onId(id);
      if (data.length) onMessage({ id, event, data: data.join('\n') });
      idInBlock = false;
      data = [];
      event = undefined;
      return;
    }
    if (l.startsWith(':')) return;
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    const value = colon < 0 ? '' : l.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\u0000')) {
      id = value;
      idInBlock = true;
    }
  };
  return (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const sep = buffer.startsWith('\r\n', i) ? 2 : 1;
      line(buffer.slice(0, i));
      buffer = buffer.slice(i + sep);
    }
  };
}

export interface SseStreamOptions {
  baseUrl: string;
  apiKey: string;
  model?: string;
  /** Resume after this id (as given to a previous handler); default: only new events. */
  lastEventId?: string;
  from?: 'earliest' | 'latest';
  /** Wait before reconnecting, in ms; default 2 000. */
  reconnectMs?: number;
  onError?: (error: unknown) => void;
}

export interface SubscribeRetrainSseOptions extends SseStreamOptions {
  handler: (request: RetrainRequested, id: string | undefined) => Promise<void> | void;
}

export type DriftStreamEvent = { type: 'DriftMeasured'; value: DriftMeasured } | { type: 'DriftDetected'; value: DriftDetected };

export interface SubscribeDriftSseOptions extends SseStreamOptions {
  handler: (event: DriftStreamEvent, id: string | undefined) => Promise<void> | void;
}

export interface SseSubscription {
  /** The id to resume from after a restart (persist it after your handler succeeded). */
  lastEventId(): string | undefined;
  stop(): Promise<void>;
}

/**
 * One of the gateway's Server-Sent Event streams, reconnecting with
 * Last-Event-ID so nothing is missed or repeated across disconnects. Messages
 * are handled one at a time, in order; the id advances once a handler returned.
 */
function subscribeSse(path: string, options: SseStreamOptions, handle: (m: SseMessage) => Promise<void> | void): SseSubscription {
  const base = options.baseUrl.replace(/\/+$/, '');
  let lastId = options.lastEventId;
  let stopped = false;
  let controller = new AbortController();
  const loop = (async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const query = new URLSearchParams({ from: options.from ?? 'latest', ...(options.model ? { model: options.model } : {}) });
        const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: 'text/event-stream' };
        if (lastId) headers['last-event-id'] = lastId;
        const res = await fetch(`${base}${path}?${query}`, { headers, signal: controller.signal });
        if (!res.ok || !res.body) throw new Error(`the gateway answered ${res.status} on ${path}: ${await res.text()}`);
        const decoder = new TextDecoder();
        let queue = Promise.resolve();
        const feed = createSseParser(
          (m) => {
            queue = queue.then(async () => {
              await handle(m);
              lastId = m.id ?? lastId;
            });
          },
          (id) => {
            queue = queue.then(() => void (lastId = id));
          },
        );
        for await (const chunk of res.body) {
          feed(decoder.decode(chunk as Uint8Array, { stream: true }));
          await queue;
        }
      } catch (error) {
        if (stopped) return;
        options.onError?.(error);
      }
      if (!stopped) await new Promise((r) => setTimeout(r, options.reconnectMs ?? 2_000));
    }
  })();
  return {
    lastEventId: () => lastId,
    async stop() {
      stopped = true;
      controller.abort();
      await loop;
    },
  };
}

/** RetrainRequested over `GET /v1/streams/retrain`. */
export function subscribeRetrainSse(options: SubscribeRetrainSseOptions): SseSubscription {
  return subscribeSse('/v1/streams/retrain', options, async (m) => {
    if (m.event === 'RetrainRequested') await options.handler((JSON.parse(m.data) as { value: RetrainRequested }).value, m.id);
  });
}

/** DriftMeasured (every window) and DriftDetected over `GET /v1/streams/drift`. */
export function subscribeDriftSse(options: SubscribeDriftSseOptions): SseSubscription {
  return subscribeSse('/v1/streams/drift', options, async (m) => {
    if (m.event === 'DriftMeasured' || m.event === 'DriftDetected') await options.handler(JSON.parse(m.data) as DriftStreamEvent, m.id);
  });
}
