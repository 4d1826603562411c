import fs from 'node:fs';
import path from 'node:path';
import { loadClusterSettings, loadStackSettings } from '../stack/index.ts';
import type { ServiceInstance } from './services.ts';

/** What `mlstream up` records about the instances it supervises (run/services.json), for `stack status`. */
export interface InstanceRecord {
  name: string;
  service: string;
  instance: number;
  port: number;
  pid?: number;
}

export interface InstanceStatus extends InstanceRecord {
  ready: boolean;
  /** Sum of mlstream_consumer_group_lag this instance exports (its service's groups, all partitions). */
  lag?: number;
  /** Per group/topic/partition, as scraped. */
  partitions?: Array<{ group: string; topic: string; partition: number; lag: number }>;
}

const recordFile = (cluster: boolean) => path.join(cluster ? loadClusterSettings().stack.dirs.run : loadStackSettings().dirs.run, 'services.json');

export function recordInstances(cluster: boolean, instances: Array<ServiceInstance & { pid?: number }>): void {
  const file = recordFile(cluster);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const rows: InstanceRecord[] = instances.map((i) => ({ name: i.name, service: i.service, instance: i.instance, port: i.port, ...(i.pid ? { pid: i.pid } : {}) }));
  fs.writeFileSync(file, JSON.stringify(rows, null, 2));
}

export function forgetInstances(cluster: boolean): void {
  fs.rmSync(recordFile(cluster), { force: true });
}

/** Parses `mlstream_consumer_group_lag{…} value` lines of a Prometheus text page. */
export function parseGroupLag(text: string): Array<{ group: string; topic: string; partition: number; lag: number }> {
  const rows: Array<{ group: string; topic: string; partition: number; lag: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('mlstream_consumer_group_lag{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (labels.group && labels.topic && Number.isFinite(value)) rows.push({ group: labels.group, topic: labels.topic, partition: Number(labels.partition), lag: value });
  }
  return rows;
}

/** Readiness and consumer lag of every recorded instance (none recorded: no services running). */
export async function instanceStatus(options: { cluster: boolean }): Promise<InstanceStatus[]> {
  let records: InstanceRecord[];
  try {
    records = JSON.parse(fs.readFileSync(recordFile(options.cluster), 'utf8')) as InstanceRecord[];
  } catch {
    return [];
  }
  return Promise.all(
    records.map(async (r): Promise<InstanceStatus> => {
      const base = `http://127.0.0.1:${r.port}`;
      const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1_500) }).then((res) => res.ok, () => false);
      try {
        const text = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5_000) }).then((res) => res.text());
        const partitions = parseGroupLag(text);
        return { ...r, ready, lag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
      } catch {
        return { ...r, ready };
      }
    }),
  );
}

export function printInstances(instances: InstanceStatus[]): void {
  if (!instances.length) return;
  console.log('services:');
  for (const i of instances) {
    const lag = i.lag === undefined ? 'lag ?' : `group lag ${i.lag}${i.partitions?.length ? ` over ${i.partitions.length} partitions` : ''}`;
    console.log(`  ${i.name.padEnd(18)} ${(i.ready ? 'ready' : 'NOT READY').padEnd(10)} http://127.0.0.1:${i.port}  ${lag}`);
  }
}
