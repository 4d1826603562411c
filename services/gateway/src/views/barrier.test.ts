import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { createBarrier } from './barrier.ts';

const setup = (timeoutMs = 5_000) => {
  const applied = new Map<string, number>();
  const barrier = createBarrier({ applied: (tp) => applied.get(tp) ?? 0, timeoutMs });
  const reach = (tp: string, next: number) => {
    applied.set(tp, next);
    barrier.progressed();
  };
  return { barrier, reach };
};

const state = (p: Promise<unknown>) => Promise.race([p.then(() => 'resolved', () => 'rejected'), new Promise((r) => setImmediate(() => r('pending')))]);

describe('barrier: a read waits for what was written before it', () => {
  it('resolves at once when nothing is outstanding', async () => {
    const { barrier } = setup();
    await expect(state(barrier.wait())).resolves.toBe('resolved');
  });

  it('waits until the view has applied the written offset (offset < next), woken by progress', async () => {
    const { barrier, reach } = setup();
    barrier.written([{ topic: 't', partition: 1, offset: '41' }]);
    const read = barrier.wait();
    expect(await state(read)).toBe('pending');
    reach('t:1', 41);
    expect(await state(read)).toBe('pending');
    reach('t:1', 42);
    expect(await state(read)).toBe('resolved');
    expect(barrier.waiting()).toBe(0);
  });

  it('needs every partition and the client token', async () => {
    const { barrier, reach } = setup();
    barrier.written([{ topic: 't', partition: 0, offset: 3 }]);
    const read = barrier.wait([{ topic: 'u', partition: 2, offset: 9 }]);
    reach('t:0', 4);
    expect(await state(read)).toBe('pending');
    reach('u:2', 10);
    expect(await state(read)).toBe('resolved');
  });

  it('does not wait for writes recorded after the read began', async () => {
    const { barrier, reach } = setup();
    barrier.written([{ topic: 't', partition: 0, offset: 1 }]);
    const read = barrier.wait();
    barrier.written([{ topic: 't', partition: 0, offset: 100 }]);
    reach('t:0', 2);
    expect(await state(read)).toBe('resolved');
  });

  it('gives up with KAFKA_UNAVAILABLE after the timeout, naming what is behind', async () => {
    const { barrier } = setup();
    barrier.written([{ topic: 't', partition: 0, offset: 5 }]);
    const error = await barrier.wait([], 20).catch((e: unknown) => e);
    expect(isMlstreamError(error, 'KAFKA_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('t:0:5');
  });

  it('rejects waiters when the view stops', async () => {
    const { barrier } = setup();
    barrier.written([{ topic: 't', partition: 0, offset: 5 }]);
    const read = barrier.wait();
    barrier.fail(new Error('stopping'));
    expect(await state(read)).toBe('rejected');
    await expect(read).rejects.toThrow(/stopping/);
  });
});
