import { clusterDown, clusterHealth, clusterStatus, clusterUp, stackDown, stackStatus, stackUp, type ClusterHealth, type PartStatus, type UpResult } from '../stack/index.ts';
import { instanceStatus, printInstances, type InstanceStatus } from '../platform/instances.ts';

const say = (line: string) => console.error(`mlstream: ${line}`);

export function printUp(result: UpResult): void {
  for (const p of result.parts) {
    console.log(`${p.part.padEnd(10)} ${p.state.padEnd(15)} pid ${String(p.pid).padEnd(8)} ${p.endpoint}  (ready in ${(p.readyMs / 1000).toFixed(1)} s)`);
    console.log(`${''.padEnd(10)} ${p.summary}`);
  }
  console.log(`stack ready in ${(result.totalMs / 1000).toFixed(1)} s`);
}

export function printStatus(parts: PartStatus[]): void {
  for (const p of parts) {
    const state = p.ready ? 'ready' : p.running ? 'not ready' : 'stopped';
    const version = p.version ? `v${p.version}` : '';
    console.log(`${p.title.padEnd(28)} ${state.padEnd(10)} ${version.padEnd(10)} ${p.endpoint}  ports ${p.ports.join(',')}${p.pid ? `  pid ${p.pid}` : ''}${p.error ? `  (${p.error})` : ''}`);
    if (p.summary) console.log(`${''.padEnd(28)} ${p.summary}`);
  }
}

export async function stackUpCommand(options: { json?: boolean; cluster?: boolean }): Promise<void> {
  const result = options.cluster ? await clusterUp(say) : await stackUp(say);
  if (options.json) console.log(JSON.stringify(result, null, 2));
  else printUp(result);
}

export async function stackDownCommand(options: { json?: boolean; only?: string; cluster?: boolean }): Promise<void> {
  if (options.cluster) {
    const only = options.only?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    const result = await clusterDown(options.json ? () => {} : say, undefined, only);
    if (options.json) console.log(JSON.stringify(result, null, 2));
    return;
  }
  const names = ['kafka', 'registry', 'clickhouse'] as const;
  type Name = (typeof names)[number];
  const only = options.only?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const unknown = only?.filter((s) => !(names as readonly string[]).includes(s));
  if (unknown?.length) throw new TypeError(`--only: unknown part(s) ${unknown.join(', ')}; expected ${names.join(', ')}`);
  const result = await stackDown(options.json ? () => {} : say, undefined, only as Name[] | undefined);
  if (options.json) console.log(JSON.stringify(result, null, 2));
}

export function printClusterHealth(health: ClusterHealth): void {
  const k = health.kafka;
  if (k) console.log(`Kafka cluster: ${k.error ? `unreachable (${k.error})` : `brokers [${k.brokers.join(', ')}] in metadata, controller ${k.controller}, ${k.underReplicated} under-replicated partitions`}`);
  for (const r of health.clickhouse) {
    console.log(`ClickHouse replica ${r.replica}: ${r.error ? `unreachable (${r.error})` : `${r.tables} replicated tables, ${r.readonly} read-only, replication queue ${r.queue}, max delay ${r.absoluteDelay} s`}`);
  }
  const z = health.zookeeper;
  if (z) console.log(`ZooKeeper: ${z.error ? `unreachable (${z.error})` : `${z.mode ?? '?'} mode, ${z.connections ?? '?'} connections`}`);
}

export async function stackStatusCommand(options: { json?: boolean; cluster?: boolean }): Promise<void> {
  if (options.cluster) {
    const [parts, health, instances] = await Promise.all([clusterStatus(), clusterHealth(), instanceStatus({ cluster: true })]);
    if (options.json) console.log(JSON.stringify({ parts, health, instances }, null, 2));
    else {
      printStatus(parts);
      printClusterHealth(health);
      printInstances(instances);
    }
    if (!parts.every((p) => p.ready)) process.exitCode = 3;
    return;
  }
  const parts = await stackStatus();
  const instances: InstanceStatus[] = await instanceStatus({ cluster: false });
  if (options.json) console.log(JSON.stringify(parts, null, 2));
  else {
    printStatus(parts);
    printInstances(instances);
  }
  if (!parts.every((p) => p.ready)) process.exitCode = 3;
}
