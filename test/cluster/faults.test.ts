import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, resolveCatalog, retryPolicies } from '@mlstream/kit';
import { applyTestTopics, testKafka, testLogger } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { apiKeysSpec, prediction, tokens } from '../fixtures/gateway/index.ts';
import { cluster, dropOnCluster, healAll, partition, pidOf, replicas, restartMissing, scalarOn } from './cluster.ts';
import { step, until, within } from './progress.ts';

/** What a client saw of one POST: the status (0: no answer within the client's timeout), Retry-After, time. */
type CallResult = { status: number; retryAfter: string | null; ms: number };

// Faults of the cluster itself (docs/operations.md), each under HTTP load through a real gateway
// and a real materializer writing to the replicated ClickHouse tables. Every 202 must be in
// ClickHouse exactly once, on both replicas; refusals must be 503 + Retry-After, and short.
describe('cluster faults', () => {
  const stamp = `${Date.now().toString(36)}`;
  const prefix = `clusterfault-${stamp}.`;
  const db = `clusterfault_${stamp}`;
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('cluster-faults');
  // Both services run as processes of their own: whatever happens in their Kafka clients cannot freeze the test's event loop.
  let gateway: ServiceProcess;
  const gatewayUrl = `http://127.0.0.1:${cluster.ports.services + 91}`;
  let materializer: ServiceProcess;
  const acknowledged: string[] = [];
  /** Batches answered 503: a send in flight when the gateway gave up may still have landed (once). */
  const refused = new Set<string>();
  const log: Array<{ at: number; res: CallResult }> = [];

  /** Three clients posting 20 predictions at a time until `until()` holds; returns what they saw. */
  const load = async (label: string, during: (seen: () => typeof log) => Promise<void>) => {
    const from = log.length;
    let stop = false;
    let n = 0;
    const client = async (c: number) => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, (_, i) => prediction(0, { requestId: `${label}-c${c}-${n}-${i}` }));
        n += 1;
        const res = await post(batch);
        log.push({ at: Date.now(), res });
        if (res.status === 202) acknowledged.push(...batch.map((p) => p.requestId));
        // A client's backoff after a refusal (not synchronisation): keeps 503s from spinning the CPU.
        else {
          for (const p of batch) refused.add(p.requestId);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const clients = [0, 1, 2].map(client);
    try {
      await during(() => log.slice(from));
    } finally {
      stop = true;
      await within(30_000, `the ${label} load's clients to finish their last call`, Promise.all(clients));
    }
    return log.slice(from);
  };
  /** One POST of a batch, bounded: a gateway that answers nothing within 15 s is a finding, not a hang. */
  const post = async (batch: unknown[]): Promise<CallResult> => {
    const started = performance.now();
    try {
      const res = await fetch(`${gatewayUrl}/v1/predictions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.writer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ predictions: batch }),
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer();
      return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: performance.now() - started };
    } catch {
      return { status: 0, retryAfter: null, ms: performance.now() - started };
    }
  };
  const accepted = (entries: typeof log, after = 0) => entries.filter((e) => e.at >= after && e.res.status === 202).length;
  /** First refusal to first 202 after the last refusal: what a producer sees of the fault. */
  const errorWindowMs = (entries: typeof log) => {
    const refused = entries.filter((e) => e.res.status !== 202);
    if (!refused.length) return 0;
    const last = refused.at(-1)!.at;
    const next = entries.find((e) => e.at > last && e.res.status === 202)?.at ?? last;
    return next - refused[0]!.at + refused[0]!.res.ms;
  };
  const expectRefusalsAre503 = (entries: typeof log) => {
    for (const e of entries.filter((x) => x.res.status !== 202)) {
      expect(e.res.status, e.res.status === 0 ? 'a POST got no answer within 15 s' : 'a refusal').toBe(503);
      expect(e.res.retryAfter).toMatch(/^\d+$/);
    }
  };
  /** Both replicas hold every acknowledged prediction exactly once, and nothing else. */
  const expectExactOnBothReplicas = async () => {
    for (const replica of [0, 1]) {
      const ids = async () => new Set((await (await replicas[replica]!.query({ query: `SELECT DISTINCT request_id AS id FROM ${db}.predictions`, format: 'JSONEachRow' })).json<{ id: string }>()).map((r) => r.id));
      await until(async () => {
        const have = await ids();
        const missing = acknowledged.filter((id) => !have.has(id)).length;
        if (missing) throw new Error(`${missing} of ${acknowledged.length} missing`);
        return true;
      }, {
        what: `replica ${replica + 1} to hold ${acknowledged.length} predictions`,
        timeoutMs: 90_000,
        intervalMs: 500,
      }).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nmaterializer output:\n${materializer.output().slice(-3000)}`);
      });
      const rows = await (await replicas[replica]!.query({ query: `SELECT request_id AS id, count() AS n FROM ${db}.predictions GROUP BY id`, format: 'JSONEachRow' })).json<{ id: string; n: string }>();
      const stored = new Map(rows.map((r) => [r.id, Number(r.n)]));
      for (const id of acknowledged) if (stored.get(id) !== 1) expect.fail(`replica ${replica + 1}: ${id} (answered 202) stored ${stored.get(id) ?? 0} times`);
      const ok = new Set(acknowledged);
      const extra = rows.filter((r) => !ok.has(r.id));
      for (const r of extra) if (!refused.has(r.id) || Number(r.n) !== 1) expect.fail(`replica ${replica + 1}: ${r.id} stored ${r.n} times, never answered 202`);
      if (extra.length) console.log(`replica ${replica + 1}: ${extra.length} rows of batches answered 503 landed anyway (each once)`);
    }
  };

  const predictionsMeta = () =>
    within(30_000, 'the metadata of the predictions topic', async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await admin.fetchTopicMetadata({ topics: [catalog.topic('predictions')] });
      } finally {
        await admin.disconnect();
      }
    });

  beforeAll(async () => {
    step(`creating the topics (${prefix}*)`);
    await within(60_000, 'creating the catalog topics on the cluster', applyTestTopics(kafka, catalog));
    const meta = await predictionsMeta();
    // The catalog's replication comes from the cluster: three copies, so one broker may go.
    expect(meta.topics[0]!.partitions.every((p) => p.replicas.length === 3)).toBe(true);
    materializer = startService('services/materializer/src/main.ts', {
      MLSTREAM_TOPIC_PREFIX: prefix,
      MLSTREAM_CLICKHOUSE_DATABASE: db,
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '150',
      // Clear of the single platform's 18203.
      MLSTREAM_HTTP_PORT: String(cluster.ports.services + 90),
    });
    let exitedEarly = false;
    void materializer.exited.then((code) => {
      exitedEarly = true;
      console.log(`materializer exited (${code}):\n${materializer.output().slice(-3000)}`);
    });
    step('materializer started; waiting until ready (migrations ON CLUSTER, partitions owned)');
    await until(async () => {
      if (exitedEarly) throw new Error('the materializer exited');
      const res = await fetch(`http://127.0.0.1:${cluster.ports.services + 90}/readyz`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`/readyz ${res.status} ${(await res.text()).slice(0, 300)}`);
      return true;
    }, { what: 'the materializer ready (migrated ON CLUSTER, partitions owned)', timeoutMs: 120_000, intervalMs: 500 }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\nmaterializer output:\n${materializer.output().slice(-3000)}`);
    });
    step('materializer ready; starting the gateway');
    gateway = startService('services/gateway/src/main.ts', {
      MLSTREAM_TOPIC_PREFIX: prefix,
      MLSTREAM_CLICKHOUSE_DATABASE: db,
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_GATEWAY_PORT: String(cluster.ports.services + 91),
      MLSTREAM_GATEWAY_API_KEYS: apiKeysSpec,
      MLSTREAM_GATEWAY_SEND_TIMEOUT_MS: '5000',
    });
    void gateway.exited.then((code) => console.log(`gateway exited (${code}):\n${gateway.output().slice(-3000)}`));
    await until(async () => {
      const res = await fetch(`${gatewayUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`/readyz ${res.status} ${(await res.text()).slice(0, 300)}`);
      return true;
    }, { what: 'the gateway ready on the cluster', timeoutMs: 90_000, intervalMs: 500 }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\ngateway output:\n${gateway.output().slice(-3000)}`);
    });
    step('gateway ready');
  });
  afterAll(async () => {
    step('tearing down: links healed, gateway and materializer stopped, killed parts restarted, database dropped');
    await within(10_000, 'healing every link', healAll()).catch((error: unknown) => step(`(teardown) ${(error as Error).message}`));
    for (const [name, service] of [['gateway', gateway], ['materializer', materializer]] as const) {
      if (!service || service.child.exitCode !== null) continue;
      service.child.kill('SIGTERM');
      await within(30_000, `the ${name} to exit after SIGTERM`, service.exited).catch(async () => {
        step(`the ${name} did not exit within 30 s of SIGTERM: SIGKILL`);
        service.child.kill('SIGKILL');
        await within(10_000, `the ${name} to exit after SIGKILL`, service.exited);
      });
    }
    await within(200_000, 'restarting the parts of the cluster a test stopped', restartMissing());
    await within(60_000, `dropping ${db} ON CLUSTER`, dropOnCluster(db));
    await within(60_000, `deleting the ${prefix}* topics`, async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: catalog.topics.map((t) => t.topic), timeout: 30_000 });
      } finally {
        await admin.disconnect();
      }
    }).catch((error: unknown) => step(`(teardown) ${(error as Error).message}`));
    step('teardown done');
  });

  /** Waits until `n` POSTs after `after` were answered 202, saying so every 15 s. */
  const acceptedAfter = (entries: () => typeof log, after: number, n: number, what: string, timeoutMs: number) =>
    until(() => {
      const have = accepted(entries(), after);
      if (have < n) throw new Error(`${have} of ${n} accepted, ${entries().filter((e) => e.at >= after && e.res.status !== 202).length} refused`);
      return true;
    }, { what, timeoutMs });

  it('SIGKILL of the broker leading the predictions partitions: a short 503 window, every 202 stored once', async () => {
    const meta = await predictionsMeta();
    const leaders = meta.topics[0]!.partitions.map((p) => p.leader);
    const victim = [...new Set(leaders)].sort((a, b) => leaders.filter((l) => l === b).length - leaders.filter((l) => l === a).length)[0]!;
    let killedAt = 0;
    const seen = await load('broker', async (entries) => {
      await acceptedAfter(entries, 0, 10, 'writes before the kill', 60_000);
      step(`SIGKILL broker ${victim} (leads ${leaders.filter((l) => l === victim).length} of ${leaders.length} predictions partitions)`);
      process.kill(pidOf(`kafka-${victim}`), 'SIGKILL');
      killedAt = Date.now();
      // Two brokers of three are enough (min.insync.replicas=2): writes resume without the victim.
      await acceptedAfter(entries, killedAt + 1, 10, 'writes accepted with one broker dead', 30_000);
      step(`writes go on without broker ${victim}; restarting it`);
      await within(200_000, `broker ${victim} to restart and register`, restartMissing());
      const back = Date.now();
      await acceptedAfter(entries, back, 10, 'writes after the restart', 60_000);
    });
    const window = errorWindowMs(seen);
    step(`broker ${victim} SIGKILL: ${seen.filter((e) => e.res.status !== 202).length} refusals, error window ${window.toFixed(0)} ms, slowest answer ${Math.max(...seen.map((e) => e.res.ms)).toFixed(0)} ms`);
    expectRefusalsAre503(seen);
    expect(window).toBeLessThan(20_000);
    await expectExactOnBothReplicas();
  });

  it('SIGKILL of a ClickHouse replica mid-stream: it catches up, both replicas exact', async () => {
    let killedAt = 0;
    await load('replica', async (entries) => {
      await acceptedAfter(entries, 0, 10, 'writes before the kill', 60_000);
      // Replica 2: the materializer writes to replica 1; replica 2 must fetch what it missed.
      step('SIGKILL ClickHouse replica 2');
      process.kill(pidOf('clickhouse-2'), 'SIGKILL');
      killedAt = Date.now();
      await acceptedAfter(entries, killedAt, 20, 'writes while a replica is dead', 60_000);
    });
    const missed = acknowledged.length - (await within(30_000, 'counting replica 1', scalarOn(0, `SELECT count() AS n FROM ${db}.predictions`)).catch(() => 0));
    const restarted = Date.now();
    step('restarting ClickHouse replica 2');
    await within(200_000, 'ClickHouse replica 2 to restart', restartMissing());
    await expectExactOnBothReplicas();
    step(`ClickHouse replica 2 SIGKILL: restarted and converged in ${Date.now() - restarted} ms (replica 1 behind the 202s by ${missed} rows at the restart)`);
  });

  it('a broker partitioned for 20 s (its links cut both ways): it is fenced, writes go on, it rejoins every ISR, every 202 stored once', async () => {
    const meta = await predictionsMeta();
    const victim = meta.topics[0]!.partitions[0]!.leader;
    const others = cluster.ports.brokers.map((b) => b.id).filter((id) => id !== victim);
    // Asked of the other side only (a client whose seed is the cut broker would spend its retries there),
    // and about the predictions topic only (metadata of every topic fails while any partition elects).
    const otherSide = createKafka({ brokers: others.map((id) => `127.0.0.1:${cluster.ports.brokers.find((b) => b.id === id)!.port}`), clientId: 'cluster-faults-observer', logger: testLogger('observer'), retry: retryPolicies.fast, connectionTimeout: 1_000, requestTimeout: 5_000 });
    /** Predictions partitions that list the victim as leader or in-sync replica. */
    const withVictim = () =>
      within(8_000, 'the predictions metadata from the other side', async () => {
        const admin = otherSide.admin();
        await admin.connect();
        try {
          const meta = await admin.fetchTopicMetadata({ topics: [catalog.topic('predictions')] });
          return meta.topics[0]!.partitions.map((p) => ({ leads: p.leader === victim, inSync: p.isr.includes(victim) }));
        } finally {
          await admin.disconnect();
        }
      });
    let cutAt = 0;
    let healedAt = 0;
    let fencedMs = 0;
    const seen = await load('partition', async (entries) => {
      await acceptedAfter(entries, 0, 10, 'writes before the partition', 60_000);
      step(`partitioning broker ${victim}: every connection to it and from it destroyed, new ones refused`);
      await partition(victim, 'cut');
      cutAt = Date.now();
      try {
        // The quorum stops hearing it: the controller fences it (broker.session.timeout.ms=6000) and
        // moves the leadership of its partitions to an in-sync replica on the other side.
        await until(async () => {
          const parts = await withVictim();
          const still = parts.filter((p) => p.leads || p.inSync).length;
          if (still) throw new Error(`broker ${victim} still leader or in sync on ${still} of ${parts.length} partitions`);
          return true;
        }, { what: `broker ${victim} fenced (out of every predictions partition's leaders and ISR)`, timeoutMs: 20_000, intervalMs: 500 });
        fencedMs = Date.now() - cutAt;
        step(`broker ${victim} fenced ${fencedMs} ms after the cut`);
        await acceptedAfter(entries, Date.now(), 10, `writes accepted by brokers ${others.join(' and ')} during the partition`, 20_000);
        const rest = cutAt + 20_000 - Date.now();
        if (rest > 0) await new Promise((r) => setTimeout(r, rest)); // the fault's length, not a synchronisation
      } finally {
        await partition(victim, 'heal');
        healedAt = Date.now();
      }
      step(`healed broker ${victim}; waiting for it to rejoin and for writes`);
      await until(async () => {
        const parts = await withVictim();
        const out = parts.filter((p) => !p.inSync).length;
        if (out) throw new Error(`out of the ISR of ${out} of ${parts.length} partitions`);
        return true;
      }, { what: `broker ${victim} back in every predictions partition's ISR`, timeoutMs: 60_000, intervalMs: 500 });
      await acceptedAfter(entries, Date.now(), 10, 'writes after the partition healed', 60_000);
    });
    const during = seen.filter((e) => e.at >= cutAt && e.at < healedAt);
    const refusals = seen.filter((e) => e.res.status !== 202);
    const lastRefusal = refusals.at(-1)?.at ?? cutAt;
    step(`broker ${victim} partitioned ${healedAt - cutAt} ms: fenced after ${fencedMs} ms; ${during.filter((e) => e.res.status === 202).length} accepted and ${during.filter((e) => e.res.status !== 202).length} refused during the fault, error window ${errorWindowMs(seen).toFixed(0)} ms, last refusal ${lastRefusal - healedAt} ms after the heal`);
    expectRefusalsAre503(seen);
    expect(lastRefusal - healedAt).toBeLessThan(10_000);
    await expectExactOnBothReplicas();
  });
});
