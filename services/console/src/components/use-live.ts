// A view's live feed: subscribes to a gateway SSE path while mounted.
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../client.ts';
import { subscribe } from '../live.ts';
import type { StreamEvent } from '../types.ts';

export function useLive<V = Record<string, unknown>>(path: string | undefined, onEvent: (event: StreamEvent<V>) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!path) return;
    return subscribe(path, {
      key: api.key,
      from: 'latest',
      onEvent: (message) => {
        try {
          handler.current(JSON.parse(message.data) as StreamEvent<V>);
        } catch {
          // not one of the gateway's JSON events
        }
      },
    });
  }, [path]);
}
