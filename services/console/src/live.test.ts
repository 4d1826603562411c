import { describe, expect, it } from 'vitest';
import { backoffMs, createSseParser, overallState, subscribe, onConnectionState, type ConnectionState, type SseMessage } from './live.ts';

describe('console live: SSE parser', () => {
  it('parses events with ids, types and multi-line data in any chunking', () => {
    const text = 'retry: 2000\nid: 0:5\n\n: keep-alive\n\nid: 0:6,1:2\nevent: RunStarted\ndata: {"a":1}\n\nevent: x\ndata: one\ndata:two\n\n';
    for (const size of [1, 3, 7, text.length]) {
      const parser = createSseParser();
      const out: SseMessage[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      expect(out).toEqual([
        { id: '0:6,1:2', event: 'RunStarted', data: '{"a":1}' },
        { id: '0:6,1:2', event: 'x', data: 'one\ntwo' },
      ]);
      expect(parser.retry).toBe(2000);
      expect(parser.lastEventId).toBe('0:6,1:2');
    }
  });

  it('takes an id-only block as the resume point and accepts CRLF and CR line ends', () => {
    const parser = createSseParser();
    expect(parser.push('id: 0:9\r\n\r\n')).toEqual([]);
    expect(parser.lastEventId).toBe('0:9');
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\r\n')).toEqual([{ id: '0:9', event: 'message', data: 'a' }]);
  });

  it('does not dispatch a block that was never terminated', () => {
    const parser = createSseParser();
    expect(parser.push('data: half')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
  });
});

describe('console live: backoff and state', () => {
  it('doubles from the server retry and caps', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffMs(a, 2000))).toEqual([2000, 4000, 8000, 15_000, 15_000]);
    expect(backoffMs(0)).toBe(1000);
  });

  it('shows the worst state of open subscriptions', () => {
    expect(overallState([])).toBe('idle');
    expect(overallState(['live', 'live'])).toBe('live');
    expect(overallState(['live', 'reconnecting', 'connecting'])).toBe('reconnecting');
    expect(overallState(['live', 'failed'])).toBe('failed');
  });

  it('reconnects after a dropped stream with Last-Event-ID and delivers what follows', async () => {
    const seen: Array<Record<string, string>> = [];
    const bodies = ['retry: 50\nid: 0:1\n\nid: 0:2\nevent: A\ndata: 1\n\n', 'id: 0:3\nevent: A\ndata: 2\n\n'];
    const stream = (text: string) => new Response(new Blob([text]).stream(), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const states: ConnectionState[] = [];
    const off = onConnectionState((s) => states.push(s));
    const events: string[] = [];
    const waits: number[] = [];
    let close = () => {};
    await new Promise<void>((resolve) => {
      close = subscribe('/v1/streams/runs', {
        key: () => 'k',
        from: 'latest',
        fetch: async (url, init) => {
          seen.push({ url, ...(init?.headers as Record<string, string>) });
          const body = bodies.shift();
          return body === undefined ? new Promise<Response>(() => {}) : stream(body);
        },
        wait: async (ms) => void waits.push(ms),
        onEvent: (m) => {
          events.push(m.data);
          if (events.length === 2) resolve();
        },
      });
    });
    close();
    off();
    expect(events).toEqual(['1', '2']);
    expect(seen[0]).toMatchObject({ url: '/v1/streams/runs?from=latest', authorization: 'Bearer k' });
    expect(seen[0]!['last-event-id']).toBeUndefined();
    expect(seen[1]).toMatchObject({ url: '/v1/streams/runs', 'last-event-id': '0:2' });
    expect(waits).toEqual([50]);
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('idle');
  });
});
