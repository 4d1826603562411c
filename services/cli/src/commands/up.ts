import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { clusterConnectionEnv, clusterDown, clusterStatus, clusterUp, loadClusterSettings, loadStackSettings, stackDown, stackStatus, stackUp } from '../stack/index.ts';
import { availableServices, createSupervisor, forgetInstances, platformServices, recordInstances, serviceInstances } from '../platform/index.ts';
import { printStatus, printUp } from './stack.ts';
import { applyContracts, printTopicsReport } from './contracts.ts';

const say = (line: string) => console.error(`mlstream: ${line}`);

/** services/console/build.mjs (this file is services/cli/src/commands/). */
const consoleBuild = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../console/build.mjs');

/** Builds the console the gateway serves at /ui when its sources changed since the last build. */
async function buildConsole(): Promise<void> {
  try {
    const build = (await import(pathToFileURL(consoleBuild).href)) as { ensureConsole(o: { log: (line: string) => void }): Promise<boolean> };
    await build.ensureConsole({ log: (line) => say(line) });
  } catch (error) {
    say(`the console (/ui) could not be built: ${error instanceof Error ? error.message : String(error)}; the API works without it`);
  }
}

export interface UpOptions {
  detach?: boolean;
  services?: string | boolean;
  /** The local cluster (3 brokers, ZooKeeper, 2 ClickHouse replicas) instead of the single stack. */
  cluster?: boolean;
  /** Instances of each service (default 1). */
  instances?: string;
}

/**
 * `npm start` / `mlstream up`: starts the local stack, applies topics and
 * schemas, then runs every service as a supervised child and stays in the
 * foreground with a compact status; Ctrl-C stops what this command started.
 * `--no-services` runs the stack only; `--services a,b` a subset.
 */
export async function upCommand(options: UpOptions): Promise<void> {
  const cluster = options.cluster ? loadClusterSettings() : undefined;
  const settings = cluster?.stack ?? loadStackSettings();
  // Services (and the contracts applied here) reach the cluster through kit's connection variables.
  const env: NodeJS.ProcessEnv = cluster ? { ...process.env, ...clusterConnectionEnv(cluster) } : process.env;
  const result = cluster ? await clusterUp(say, cluster) : await stackUp(say, settings);
  printUp(result);
  const contracts = await applyContracts(env);
  printTopicsReport(contracts.topics);
  console.log(`${Object.keys(contracts.subjects).length} schemas registered`);

  const wanted = typeof options.services === 'string' ? options.services.split(',').map((s) => s.trim()) : undefined;
  const unknown = wanted?.filter((w) => !platformServices.some((s) => s.name === w)) ?? [];
  if (unknown.length) throw new TypeError(`--services: unknown ${unknown.join(', ')}; known: ${platformServices.map((s) => s.name).join(', ')}`);
  const chosen = options.services === false ? [] : availableServices().filter((s) => !wanted || wanted.includes(s.name));
  const services = serviceInstances(chosen, Number(options.instances ?? 1), cluster?.ports.services);
  if (options.detach) {
    if (services.length) say('--detach leaves the stack running; services run only in the foreground (`npm start`).');
    return;
  }

  if (services.some((s) => s.name === 'gateway')) await buildConsole();
  const supervisor = createSupervisor({ services, logsDir: path.join(settings.dirs.logs, 'services'), env, say });
  supervisor.start();
  const record = () => recordInstances(!!cluster, services.map((s) => ({ ...s, pid: supervisor.states().find((x) => x.name === s.name)?.pid })));
  record();
  const notReady = await supervisor.waitReady(90_000);
  console.log('\nmlstream is up:');
  const urls: Array<[string, string]> = services.flatMap((s) => s.urls?.(s.port) ?? []);
  if (cluster) {
    for (const r of cluster.ports.clickhouse) urls.push([`ClickHouse r${r.index}`, `http://127.0.0.1:${r.httpPort} (clickhouse-client --port ${r.tcpPort})`]);
    urls.push(['ZooKeeper', `127.0.0.1:${cluster.ports.zookeeper}`]);
  } else urls.push(['ClickHouse', `http://127.0.0.1:${settings.ports.clickhouseHttp} (clickhouse-client --port ${settings.ports.clickhouseTcp})`]);
  urls.push(['schema registry', `http://127.0.0.1:${settings.ports.registry}/apis/ccompat/v7`]);
  urls.push(['Kafka', settings.kafkaBootstrap ?? `127.0.0.1:${settings.ports.kafka}`]);
  for (const [what, url] of urls) console.log(`  ${what.padEnd(16)} ${url}`);
  for (const s of supervisor.states()) console.log(`  ${s.name.padEnd(16)} ${s.ready ? 'ready' : 'NOT READY'}  pid ${s.pid}  http://127.0.0.1:${services.find((x) => x.name === s.name)!.port}/metrics`);
  if (notReady.length) say(`not ready after 90 s: ${notReady.join(', ')} (logs in ${path.join(settings.dirs.logs, 'services')})`);
  console.log('Ctrl-C stops everything this command started.');

  let last = '';
  const timer = setInterval(async () => {
    await supervisor.refresh();
    record();
    const parts = cluster ? await clusterStatus(cluster) : await stackStatus(settings);
    const line = [...parts.map((p) => `${p.part}:${p.ready ? 'ok' : 'DOWN'}`), ...supervisor.states().map((s) => `${s.name}:${s.ready ? 'ok' : 'DOWN'}${s.restarts ? `(${s.restarts} restarts)` : ''}`)].join(' ');
    if (line !== last) console.log(`[${new Date().toISOString()}] ${line}`);
    if (parts.some((p) => !p.ready)) printStatus(parts.filter((p) => !p.ready));
    last = line;
  }, 10_000);
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  clearInterval(timer);
  say('stopping services…');
  await supervisor.stop();
  forgetInstances(!!cluster);
  if (cluster) await clusterDown(say, cluster, result.started);
  else await stackDown(say, settings, result.started);
}
