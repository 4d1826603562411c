import fs from 'node:fs';
import { loadStackSettings, type StackSettings } from './settings.ts';
import { assertPortFree, commandLine, isOurs, readPid, stopDaemon, waitUntilReady, type PidRecord } from './processes.ts';
import { apicurioDefaults, planJava, probeJava, type JavaPlan } from './java.ts';
import { kafkaPart } from './kafka.ts';
import { schemaRegistryPart } from './schema-registry.ts';
import { clickhousePart } from './clickhouse.ts';
import type { StackPart } from './part.ts';

export type Say = (line: string) => void;

export interface PartOutcome {
  part: StackPart['name'];
  state: 'started' | 'already-running';
  pid: number;
  endpoint: string;
  readyMs: number;
  /** What runs, e.g. "Kafka 4.4.0 on Java 25 (/usr/lib/jvm/…/bin/java): newest LTS JDK found…". */
  summary: string;
  version?: string;
  java?: RunningJava;
}

/** The JDK a running JVM part runs on, and why that one. */
export interface RunningJava {
  path: string;
  major?: number;
  version?: string;
  reason: string;
}

export interface UpResult {
  parts: PartOutcome[];
  totalMs: number;
  /** Names of the parts this call started (so a caller can stop exactly those). */
  started: StackPart['name'][];
}

/**
 * The parts. With a Java plan (stackUp) they install and start the chosen
 * versions on the chosen JDKs; without one (status, down) the registry's
 * version comes from the running process, else the configured one.
 */
export function stackParts(settings: StackSettings = loadStackSettings(), plan?: JavaPlan) {
  // A running registry is probed where its own version serves health.
  const registryVersion = runningRegistryVersion(readPid(settings.dirs.run, 'registry')) ?? plan?.registry.version ?? settings.versions.apicurio ?? apicurioDefaults.withJava21;
  return {
    kafka: kafkaPart(settings, { version: settings.versions.kafka, ...(plan ? { java: plan.kafka } : {}) }),
    registry: schemaRegistryPart(settings, { version: registryVersion, ...(plan ? { java: plan.registry } : {}) }),
    clickhouse: clickhousePart(settings),
  };
}

/** The Apicurio version a running registry was started from (its record, else its `-jar` path). */
function runningRegistryVersion(record: PidRecord | undefined): string | undefined {
  if (!isOurs(record)) return undefined;
  return record.about?.version ?? /\/apicurio-(\d+\.\d+\.\d+)\//.exec(commandLine(record.pid) ?? '')?.[1];
}

const shortNames: Record<string, string> = { kafka: 'Kafka', registry: 'Apicurio', clickhouse: 'ClickHouse' };

/** The JDK of a running part: recorded at start; for older records, the process's own executable. */
function runningJava(record: PidRecord): RunningJava | undefined {
  if (record.about?.java) return record.about.java;
  try {
    const exe = fs.realpathSync(`/proc/${record.pid}/exe`);
    const probed = probeJava(exe);
    // Not a JVM (the links relay runs on Node): no JDK to report.
    return probed ? { path: exe, major: probed.major, version: probed.version, reason: 'started before mlstream recorded its JDK choice' } : undefined;
  } catch {
    return undefined;
  }
}

/** Version and JDK of a running part, read from the process (its classpath, its API) or its start record. */
async function describeRunning(part: StackPart, record: PidRecord): Promise<{ version?: string; java?: RunningJava; summary: string }> {
  const version = (await part.version(record).catch(() => undefined)) ?? record.about?.version;
  const java = part.name.startsWith('clickhouse') ? undefined : runningJava(record);
  const summary = `${shortNames[part.name] ?? part.title} ${version ?? '(version unknown)'}${java ? ` on Java ${java.major ?? '?'} (${java.path}): ${java.reason}` : ''}`;
  return { ...(version ? { version } : {}), ...(java ? { java } : {}), summary };
}

export async function bringUp(part: StackPart, settings: StackSettings, say: Say, planned?: string): Promise<PartOutcome> {
  const existing = readPid(settings.dirs.run, part.name);
  const started = Date.now();
  if (isOurs(existing)) {
    await waitUntilReady({ part: part.title, record: existing, probe: part.probe, timeoutMs: settings.timeoutMs });
    const running = await describeRunning(part, existing);
    if (planned && running.version && running.version !== planned) {
      say(`${part.title}: ${running.version} is running; a fresh start would run ${planned} (\`npm run stack:down\`, then \`npm run stack:up\`, to switch)`);
    }
    return { part: part.name, state: 'already-running', pid: existing.pid, endpoint: part.endpoint(), readyMs: Date.now() - started, ...running };
  }
  const record = part.start();
  say(`${part.title}: started (pid ${record.pid}), waiting until ready…`);
  await waitUntilReady({ part: part.title, record, probe: part.probe, timeoutMs: settings.timeoutMs });
  const readyMs = Date.now() - started;
  return { part: part.name, state: 'started', pid: record.pid, endpoint: part.endpoint(), readyMs, ...(await describeRunning(part, record)) };
}

/**
 * Provisions (first run only) and starts Kafka, the schema registry and
 * ClickHouse; waits until each answers. A second call while they run does
 * nothing but confirm readiness.
 */
export async function stackUp(say: Say = () => {}, settings: StackSettings = loadStackSettings()): Promise<UpResult> {
  const begun = Date.now();
  const plan = planJava({ javaHome: settings.javaHome, apicurioVersion: settings.versions.apicurio });
  for (const dir of Object.values(settings.dirs)) fs.mkdirSync(dir, { recursive: true });
  const parts = stackParts(settings, plan);
  const toStart = [parts.kafka, parts.registry, parts.clickhouse].filter((part) => !isOurs(readPid(settings.dirs.run, part.name)));
  // Every port of every part that will start must be free, checked before any download.
  for (const part of toStart) {
    for (const { port, variable } of part.ports) await assertPortFree(port, part.title, variable);
  }
  // A running part keeps running what it runs; install only what will start.
  for (const part of toStart) await part.install(say);
  // ClickHouse is independent; the registry stores its schemas in Kafka.
  const clickhouse = bringUp(parts.clickhouse, settings, say);
  let outcomes: PartOutcome[];
  try {
    const kafka = await bringUp(parts.kafka, settings, say, settings.versions.kafka);
    const registry = await bringUp(parts.registry, settings, say, plan.registry.version);
    outcomes = [kafka, registry, await clickhouse];
  } catch (error) {
    await clickhouse.catch(() => {}); // never leave a start half-observed
    throw error;
  }
  return {
    parts: outcomes,
    totalMs: Date.now() - begun,
    started: outcomes.filter((o) => o.state === 'started').map((o) => o.part),
  };
}

/** Stops only the processes this project started (recorded pids whose command line is ours). */
export async function stackDown(
  say: Say = () => {},
  settings: StackSettings = loadStackSettings(),
  only?: StackPart['name'][],
): Promise<Record<string, 'stopped' | 'not-running'>> {
  const result: Record<string, 'stopped' | 'not-running'> = {};
  // Registry first (it writes to Kafka), Kafka last.
  for (const name of ['registry', 'clickhouse', 'kafka'] as const) {
    if (only && !only.includes(name)) continue;
    result[name] = await stopDaemon(settings.dirs.run, name);
    say(`${name}: ${result[name]}`);
  }
  return result;
}

export interface PartStatus {
  part: StackPart['name'];
  title: string;
  running: boolean;
  ready: boolean;
  pid?: number;
  endpoint: string;
  ports: number[];
  /** What the running process reports or was started from, not what is configured now. */
  version?: string;
  /** The JDK a running JVM part runs on, and why that one. */
  java?: RunningJava;
  /** One line, e.g. "Apicurio 3.3.3 on Java 25 (/usr/lib/jvm/…/bin/java): Java 21+ found". */
  summary?: string;
  log?: string;
  error?: string;
}

export async function stackStatus(settings: StackSettings = loadStackSettings()): Promise<PartStatus[]> {
  const parts = stackParts(settings);
  return Promise.all(
    [parts.kafka, parts.registry, parts.clickhouse].map(async (part): Promise<PartStatus> => {
      const record = readPid(settings.dirs.run, part.name);
      const running = isOurs(record);
      const base = { part: part.name, title: part.title, running, endpoint: part.endpoint(), ports: part.ports.map((p) => p.port) };
      if (!running) return { ...base, ready: false };
      try {
        await part.probe();
        return { ...base, ready: true, pid: record.pid, ...(await describeRunning(part, record)), log: record.log };
      } catch (error) {
        return { ...base, ready: false, pid: record.pid, ...(await describeRunning(part, record)), log: record.log, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
