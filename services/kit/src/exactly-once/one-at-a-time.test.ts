import { describe, expect, it } from 'vitest';
import { oneAtATimePerKey } from './one-at-a-time.ts';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('oneAtATimePerKey: one partition\'s batches never overlap', () => {
  it('starts a key\'s next task only after the one before settled', async () => {
    const guard = oneAtATimePerKey<number>();
    const log: string[] = [];
    const first = deferred();
    const a = guard.run(1, async () => {
      log.push('a start');
      await first.promise;
      log.push('a end');
    });
    const b = guard.run(1, async () => void log.push('b'));
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['a start']);
    first.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('runs different keys side by side', async () => {
    const guard = oneAtATimePerKey<number>();
    const held = deferred();
    const log: string[] = [];
    const a = guard.run(1, async () => {
      await held.promise;
      log.push('1');
    });
    await guard.run(2, async () => void log.push('2'));
    expect(log).toEqual(['2']);
    held.resolve();
    await a;
    expect(log).toEqual(['2', '1']);
  });

  it('a failure reaches its caller only and does not block the next task', async () => {
    const guard = oneAtATimePerKey<number>();
    const failing = guard.run(1, async () => {
      throw new Error('fenced');
    });
    const next = guard.run(1, async () => 'ran');
    await expect(failing).rejects.toThrow('fenced');
    await expect(next).resolves.toBe('ran');
  });

  it('idle() waits for every task started so far', async () => {
    const guard = oneAtATimePerKey<number>();
    const held = deferred();
    let done = false;
    void guard.run(3, async () => {
      await held.promise;
      done = true;
    });
    const idle = guard.idle();
    held.resolve();
    await idle;
    expect(done).toBe(true);
  });
});
