import type { DriftDetected, DriftMeasured } from '@mlstream/kit';
import { createSseParser } from '@mlstream/sdk';

export type DriftStreamEvent = { type: 'DriftMeasured'; value: DriftMeasured } | { type: 'DriftDetected'; value: DriftDetected };

export interface DriftStreamOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  from?: 'earliest' | 'latest';
  onEvent: (event: DriftStreamEvent) => void;
  onError?: (error: unknown) => void;
  /** Wait before reconnecting, in ms; default 1 000. */
  reconnectMs?: number;
}

/**
 * DriftMeasured and DriftDetected of one model from the gateway's
 * `/v1/streams/drift` (Server-Sent Events), reconnecting with Last-Event-ID
 * so a dropped connection neither loses nor repeats a window.
 */
export function subscribeDriftSse(options: DriftStreamOptions): { stop(): Promise<void> } {
  const base = options.baseUrl.replace(/\/+$/, '');
  let lastId: string | undefined;
  let stopped = false;
  let controller = new AbortController();
  const loop = (async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const query = new URLSearchParams({ from: options.from ?? 'latest', model: options.model });
        const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: 'text/event-stream' };
        if (lastId) headers['last-event-id'] = lastId;
        const res = await fetch(`${base}/v1/streams/drift?${query}`, { headers, signal: controller.signal });
        if (!res.ok || !res.body) throw new Error(`the gateway answered ${res.status} on /v1/streams/drift: ${await res.text()}`);
        const decoder = new TextDecoder();
        const feed = createSseParser(
          (m) => {
            if (m.event === 'DriftMeasured' || m.event === 'DriftDetected') options.onEvent(JSON.parse(m.data) as DriftStreamEvent);
          },
          (id) => void (lastId = id),
        );
        for await (const chunk of res.body) feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      } catch (error) {
        if (stopped) return;
        options.onError?.(error);
      }
      if (!stopped) await new Promise((r) => setTimeout(r, options.reconnectMs ?? 1_000));
    }
  })();
  return {
    async stop() {
      stopped = true;
      controller.abort();
      await loop;
    },
  };
}
