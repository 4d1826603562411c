// Live updates: Server-Sent Events read with fetch + ReadableStream (the
// browser's EventSource cannot send an Authorization header), resumed after a
// dropped connection with Last-Event-ID (the gateway's ids are Kafka positions,
// so nothing is missed or seen twice), with backoff, and one connection state
// for the shell's indicator.

export interface SseMessage {
  /** The id in effect for this event (the last `id:` seen), if any. */
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * An incremental parser of the text/event-stream format (WHATWG HTML §9.2):
 * feed it decoded text in any chunking; it returns the events completed.
 * `lastEventId` and `retry` follow the stream, including id-only blocks.
 */
export function createSseParser() {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let sawData = false;
  const state = { lastEventId: undefined as string | undefined, retry: undefined as number | undefined };
  const line = (text: string, out: SseMessage[]) => {
    if (text === '') {
      if (sawData) out.push({ id: state.lastEventId, event: event || 'message', data: data.join('\n') });
      data = [];
      event = '';
      sawData = false;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      sawData = true;
    } else if (field === 'event') event = value;
    else if (field === 'id') {
      if (!value.includes('\0')) state.lastEventId = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) state.retry = Number(value);
  };
  return {
    get lastEventId() {
      return state.lastEventId;
    },
    get retry() {
      return state.retry;
    },
    push(text: string): SseMessage[] {
      buffer += text;
      const out: SseMessage[] = [];
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buffer);
        if (!m) break;
        // A lone \r at the very end may be the first half of \r\n: wait for more.
        if (m[0] === '\r' && m.index === buffer.length - 1) break;
        line(buffer.slice(0, m.index), out);
        buffer = buffer.slice(m.index + m[0].length);
      }
      return out;
    },
  };
}

/** Milliseconds to wait before reconnect attempt `attempt` (0-based): the server's retry, doubled each time, capped. */
export function backoffMs(attempt: number, retryMs = 1000, capMs = 15_000): number {
  return Math.min(capMs, retryMs * 2 ** Math.min(attempt, 16));
}

export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'failed';

/** The state shown for all open subscriptions: the worst of them; `idle` when there are none. */
export function overallState(states: Iterable<ConnectionState>): ConnectionState {
  const order: ConnectionState[] = ['failed', 'reconnecting', 'connecting', 'live'];
  let worst: ConnectionState | undefined;
  for (const s of states) if (s !== 'idle' && (worst === undefined || order.indexOf(s) < order.indexOf(worst))) worst = s;
  return worst ?? 'idle';
}

type Listener = (state: ConnectionState, words: string | undefined) => void;
const subscriptions = new Map<number, { state: ConnectionState; words?: string }>();
const listeners = new Set<Listener>();
let nextSubscription = 1;

const publish = () => {
  const state = overallState([...subscriptions.values()].map((s) => s.state));
  const words = [...subscriptions.values()].find((s) => s.words)?.words;
  for (const l of listeners) l(state, words);
};

/** Follows the overall connection state; returns the unsubscribe. */
export function onConnectionState(listener: Listener): () => void {
  listeners.add(listener);
  const state = overallState([...subscriptions.values()].map((s) => s.state));
  listener(state, undefined);
  return () => void listeners.delete(listener);
}

export interface SubscribeOptions {
  /** The API key (sent as a Bearer token). */
  key: () => string | undefined;
  onEvent: (message: SseMessage) => void;
  /** Where a fresh subscription starts (the gateway's `from`); resumes always continue from Last-Event-ID. */
  from?: 'earliest' | 'latest';
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Subscribes to an SSE path of the gateway (e.g. `/v1/streams/runs`) until the
 * returned function is called; reconnects with Last-Event-ID and backoff.
 * A 400/401/403/404 answer stops it (state `failed`, with words).
 */
export function subscribe(path: string, options: SubscribeOptions): () => void {
  const id = nextSubscription++;
  const controller = new AbortController();
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const wait = options.wait ?? sleep;
  const set = (state: ConnectionState, words?: string) => {
    if (controller.signal.aborted) return;
    subscriptions.set(id, { state, words });
    publish();
  };
  set('connecting');
  void (async () => {
    let lastEventId: string | undefined;
    let retryMs: number | undefined;
    for (let attempt = 0; !controller.signal.aborted; ) {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      const key = options.key();
      if (key) headers.authorization = `Bearer ${key}`;
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const sep = path.includes('?') ? '&' : '?';
      const url = lastEventId === undefined && options.from ? `${path}${sep}from=${options.from}` : path;
      try {
        const res = await doFetch(url, { headers, signal: controller.signal });
        if ([400, 401, 403, 404].includes(res.status)) {
          const body = (await res.json().catch(() => ({}))) as { detail?: string };
          set('failed', `live updates refused (HTTP ${res.status}${body.detail ? `: ${body.detail}` : ''})`);
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const parser = createSseParser();
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        set('live');
        attempt = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const message of parser.push(decoder.decode(value, { stream: true }))) {
            lastEventId = message.id ?? lastEventId;
            options.onEvent(message);
          }
          lastEventId = parser.lastEventId ?? lastEventId;
          retryMs = parser.retry ?? retryMs;
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      set('reconnecting');
      await wait(backoffMs(attempt++, retryMs), controller.signal);
    }
  })();
  return () => {
    controller.abort();
    subscriptions.delete(id);
    publish();
  };
}
