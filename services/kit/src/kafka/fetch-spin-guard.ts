import { createRequire } from 'node:module';

// kafkajs 2.2.4's fetcher loops `while (running) { batches = await fetch(node) }`
// (src/consumer/fetcher.js). When the consumer group's fetch gives up on a
// broker without any I/O (e.g. recoverFromFetch after KafkaJSConnectionClosedError
// only drops the broker from the pool and returns []), that loop becomes a chain
// of resolved promises that never returns to the event loop: the process stops
// running timers and answering sockets, at full CPU. Seen after a broker
// SIGKILL in the cluster fault suite (docs/testing.md), with this stack:
// fetcher.js start ← runMicrotasks ← processTicksAndRejections.
// The guard: an empty fetch that came back within a few milliseconds (a real
// empty fetch waits for the broker's maxWaitTime) is followed by a short
// sleep, so the loop yields and the retry has a pace.

const require = createRequire(import.meta.url);
type FetchFn = (nodeId: string) => Promise<unknown[]>;
const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as { prototype: { fetch: FetchFn & { spinGuard?: true } } };

const emptyFetchPauseMs = 100;

export function guardFetchSpin(): void {
  const original = ConsumerGroup.prototype.fetch;
  if (original.spinGuard) return;
  const guarded: FetchFn & { spinGuard?: true } = async function (this: unknown, nodeId: string) {
    const started = performance.now();
    const batches = await original.call(this, nodeId);
    if (batches.length === 0 && performance.now() - started < 5) await new Promise((r) => setTimeout(r, emptyFetchPauseMs));
    return batches;
  };
  guarded.spinGuard = true;
  ConsumerGroup.prototype.fetch = guarded;
}
