// Subscribes a view to a gateway SSE stream while it is mounted (live.ts does
// the reconnecting); each event's JSON data goes to onEvent.
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../client.ts';
import { subscribe } from '../live.ts';

export interface StreamEvent {
  type: string;
  value: Record<string, unknown>;
}

export function useStream(path: string | undefined, onEvent: (event: StreamEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!path) return;
    return subscribe(path, {
      key: () => api.key(),
      from: 'latest',
      onEvent: (message) => {
        try {
          const parsed = JSON.parse(message.data) as { type?: string; value?: Record<string, unknown> };
          if (parsed && typeof parsed.type === 'string' && parsed.value) handler.current({ type: parsed.type, value: parsed.value });
        } catch {
          // not an event of ours (e.g. a comment-only block)
        }
      },
    });
  }, [path]);
}

/** Short date-time for tables. */
export const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
