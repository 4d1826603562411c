import type { PidRecord } from './processes.ts';
import type { JavaChoice } from './java.ts';

/** Which version of a JVM part to install and start, and on which JDK. */
export interface PartRun {
  version: string;
  /** Needed to install and start; status and down work without it. */
  java?: JavaChoice;
}

/** One engine of the local stack. */
export interface StackPart {
  /** `kafka`, `registry`, `clickhouse`; in cluster mode also `kafka-<id>`, `clickhouse-<n>`, `zookeeper`. Names the pid record. */
  name: string;
  title: string;
  ports: Array<{ port: number; variable: string }>;
  /** Idempotent: downloads or installs only what is missing. */
  install(log: (line: string) => void): Promise<void>;
  /** Writes its config (first start: formats storage) and spawns the daemon. */
  start(): PidRecord;
  /** Resolves when the part really answers. */
  probe(): Promise<void>;
  /** The version the running process reports, or was started from. */
  version(record: PidRecord): Promise<string>;
  /** Client-facing address, for status and the README. */
  endpoint(): string;
}
