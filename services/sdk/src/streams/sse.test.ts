import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse.ts';

describe('SSE parser', () => {
  it('dispatches blocks split across chunks, keeps ids of id-only blocks, ignores comments', () => {
    const messages: SseMessage[] = [];
    const ids: string[] = [];
    const feed = createSseParser((m) => messages.push(m), (id) => ids.push(id));
    feed('retry: 2000\nid: 0:5,1:0\n\n: keep-alive\n\nid: 0:6,1:0\nevent: Retrain');
    feed('Requested\ndata: {"a":\ndata: 1}\r\n\r\n');
    expect(ids).toEqual(['0:5,1:0', '0:6,1:0']);
    expect(messages).toEqual([{ id: '0:6,1:0', event: 'RetrainRequested', data: '{"a":\n1}' }]);
  });
});
