import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { guardFetchSpin } from './fetch-spin-guard.ts';

type Fetch = (nodeId: string) => Promise<unknown[]>;
const ConsumerGroup = createRequire(import.meta.url)('kafkajs/src/consumer/consumerGroup.js') as { prototype: { fetch: Fetch } };
const installed = ConsumerGroup.prototype.fetch;

/** kafkajs' fetcher loop (`while (running) await fetch(node)`), bounded, stopping once a timer got to run. */
async function fetcherLoop(fetch: Fetch, limit: number): Promise<{ rounds: number; timerRan: boolean }> {
  let timerRan = false;
  setTimeout(() => (timerRan = true), 0);
  let rounds = 0;
  while (!timerRan && rounds < limit) {
    await fetch.call(ConsumerGroup.prototype, 'node-1');
    rounds += 1;
  }
  return { rounds, timerRan };
}

describe('guardFetchSpin', () => {
  afterEach(() => {
    ConsumerGroup.prototype.fetch = installed;
  });

  it('makes a fetcher whose fetch fails instantly with nothing yield to the event loop', async () => {
    ConsumerGroup.prototype.fetch = async () => [];
    // Without the guard the loop is a chain of resolved promises: no timer runs in 100 000 rounds.
    expect(await fetcherLoop(ConsumerGroup.prototype.fetch, 100_000)).toEqual({ rounds: 100_000, timerRan: false });
    guardFetchSpin();
    const guarded = await fetcherLoop(ConsumerGroup.prototype.fetch, 100_000);
    expect(guarded.timerRan).toBe(true);
    expect(guarded.rounds).toBe(1);
  });

  it('does not slow a fetch that returns records, and is installed once', async () => {
    let calls = 0;
    ConsumerGroup.prototype.fetch = async () => [++calls];
    guardFetchSpin();
    const wrapped = ConsumerGroup.prototype.fetch;
    guardFetchSpin();
    expect(ConsumerGroup.prototype.fetch).toBe(wrapped);
    const started = performance.now();
    for (let i = 0; i < 50; i++) await ConsumerGroup.prototype.fetch.call(ConsumerGroup.prototype, 'node-1');
    expect(calls).toBe(50);
    // Paused, 50 calls would take 5 s; unpaused, well under a second even on a loaded machine.
    expect(performance.now() - started).toBeLessThan(2_500);
  });
});
