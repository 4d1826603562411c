import fs from 'node:fs';
import { loadStackSettings, type StackSettings } from './settings.ts';
import { assertPortFree, isOurs, readPid, stopDaemon, waitUntilReady } from './processes.ts';
import { checkJava, checkMaven } from './prerequisites.ts';
import { kafkaPart } from './kafka.ts';
import { registryPart } from './registry.ts';
import { clickhousePart } from './clickhouse.ts';
import type { StackPart } from './part.ts';

export type Say = (line: string) => void;

export interface PartOutcome {
  part: StackPart['name'];
  state: 'started' | 'already-running';
  pid: number;
  endpoint: string;
  readyMs: number;
}

export interface UpResult {
  parts: PartOutcome[];
  totalMs: number;
  /** Names of the parts this call started (so a caller can stop exactly those). */
  started: StackPart['name'][];
}

export function stackParts(settings: StackSettings = loadStackSettings()) {
  return { kafka: kafkaPart(settings), registry: registryPart(settings), clickhouse: clickhousePart(settings) };
}

const needsInstall = (settings: StackSettings) => {
  const { install } = settings.dirs;
  return (
    !fs.existsSync(`${install}/kafka-${settings.versions.kafka}/.complete`) ||
    !fs.existsSync(`${install}/apicurio-${settings.versions.apicurio}/.complete`)
  );
};

async function bringUp(part: StackPart, settings: StackSettings, say: Say): Promise<PartOutcome> {
  const existing = readPid(settings.dirs.run, part.name);
  const started = Date.now();
  if (isOurs(existing)) {
    await waitUntilReady({ part: part.title, record: existing, probe: part.probe, timeoutMs: settings.timeoutMs });
    return { part: part.name, state: 'already-running', pid: existing.pid, endpoint: part.endpoint(), readyMs: Date.now() - started };
  }
  const record = part.start();
  say(`${part.title}: started (pid ${record.pid}), waiting until ready…`);
  await waitUntilReady({ part: part.title, record, probe: part.probe, timeoutMs: settings.timeoutMs });
  return { part: part.name, state: 'started', pid: record.pid, endpoint: part.endpoint(), readyMs: Date.now() - started };
}

/**
 * Provisions (first run only) and starts Kafka, the schema registry and
 * ClickHouse; waits until each answers. A second call while they run does
 * nothing but confirm readiness.
 */
export async function stackUp(say: Say = () => {}, settings: StackSettings = loadStackSettings()): Promise<UpResult> {
  const begun = Date.now();
  checkJava(settings.java);
  if (needsInstall(settings)) checkMaven();
  for (const dir of Object.values(settings.dirs)) fs.mkdirSync(dir, { recursive: true });
  const parts = stackParts(settings);
  for (const part of [parts.kafka, parts.registry, parts.clickhouse]) await part.install(say);

  // Every port of every part that is not running must be free before anything starts.
  for (const part of [parts.kafka, parts.registry, parts.clickhouse]) {
    if (isOurs(readPid(settings.dirs.run, part.name))) continue;
    for (const { port, variable } of part.ports) await assertPortFree(port, part.title, variable);
  }
  // ClickHouse is independent; the registry stores its schemas in Kafka.
  const clickhouse = bringUp(parts.clickhouse, settings, say);
  let outcomes: PartOutcome[];
  try {
    const kafka = await bringUp(parts.kafka, settings, say);
    const registry = await bringUp(parts.registry, settings, say);
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
  version?: string;
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
        return { ...base, ready: true, pid: record.pid, version: await part.version(), log: record.log };
      } catch (error) {
        return { ...base, ready: false, pid: record.pid, log: record.log, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
