import type { RetrainRequested } from '@mlstream/kit';

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

export interface SubscribeRetrainSseOptions {
  baseUrl: string;
  apiKey: string;
  handler: (request: RetrainRequested, id: string | undefined) => Promise<void> | void;
  model?: string;
  /** Resume after this id (as given to a previous handler); default: only new requests. */
  lastEventId?: string;
  from?: 'earliest' | 'latest';
  /** Wait before reconnecting, in ms; default 2 000. */
  reconnectMs?: number;
  onError?: (error: unknown) => void;
}

export interface SseSubscription {
  /** The id to resume from after a restart (persist it after your handler succeeded). */
  lastEventId(): string | undefined;
  stop(): Promise<void>;
}

/**
 * RetrainRequested over the gateway's Server-Sent Events, reconnecting with
 * Last-Event-ID so nothing is missed or repeated across disconnects.
 */
export function subscribeRetrainSse(options: SubscribeRetrainSseOptions): SseSubscription {
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
        const res = await fetch(`${base}/v1/streams/retrain?${query}`, { headers, signal: controller.signal });
        if (!res.ok || !res.body) throw new Error(`the gateway answered ${res.status}: ${await res.text()}`);
        const decoder = new TextDecoder();
        let queue = Promise.resolve();
        const feed = createSseParser(
          (m) => {
            queue = queue.then(async () => {
              if (m.event === 'RetrainRequested') await options.handler((JSON.parse(m.data) as { value: RetrainRequested }).value, m.id);
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
