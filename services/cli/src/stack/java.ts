import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MlstreamError } from '@mlstream/kit';

/** One JDK found on this machine. */
export interface JavaRuntime {
  /** Absolute path of its `java` binary (symlinks resolved). */
  java: string;
  /** Feature release: 17, 21, 25… */
  major: number;
  /** As `java -version` prints it, e.g. "25.0.3". */
  version: string;
}

/** The JDK a part runs on and why that one. */
export interface JavaChoice {
  runtime: JavaRuntime;
  reason: string;
}

/** What the stack runs: each JVM part's version and JDK. */
export interface JavaPlan {
  kafka: JavaChoice;
  registry: JavaChoice & { version: string };
}

/** Apicurio versions the stack picks when MLSTREAM_APICURIO_VERSION is unset. */
export const apicurioDefaults = { withJava21: '3.3.3', withJava17: '3.0.9' } as const;

/** Apicurio 3.0.x is built for Java 17; 3.1 and later for Java 21 (3.3.3's classes are version 65). */
export const apicurioJavaNeed = (version: string): number => (/^3\.0\./.test(version) ? 17 : 21);

const missing = (thing: string, fix: string) =>
  new MlstreamError('STACK_PREREQUISITE_MISSING', `${thing} is missing: ${fix}`, { details: { thing } });

/** Reads `java -version` output: `openjdk version "25.0.3" 2026-04-21 LTS`, `java version "1.8.0_391"`, `"26-ea"`. */
export function parseJavaVersion(text: string): { major: number; version: string } | undefined {
  const match = /version "([^"]+)"/.exec(text);
  if (!match) return undefined;
  const version = match[1]!;
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts) return undefined;
  const major = parts[1] === '1' && parts[2] ? Number(parts[2]) : Number(parts[1]);
  return { major, version };
}

/** Runs `<java> -version`; undefined when it does not run. */
export function probeJava(java: string): JavaRuntime | undefined {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 20_000 });
  if (result.error || result.status !== 0) return undefined;
  const parsed = parseJavaVersion(`${result.stderr}${result.stdout}`);
  if (!parsed) return undefined;
  let resolved = java;
  try {
    resolved = fs.realpathSync(java);
  } catch {
    // `java` found on PATH by spawn: resolve it below.
  }
  return { java: resolved, ...parsed };
}

/** Where JDKs usually live: Debian/Ubuntu/Fedora, Temurin/Zulu tarballs, macOS, SDKMAN, IntelliJ. */
export const javaSearchDirs = (): string[] => [
  '/usr/lib/jvm',
  '/usr/java',
  '/opt/java',
  '/opt/jdk',
  '/Library/Java/JavaVirtualMachines',
  path.join(os.homedir(), '.sdkman', 'candidates', 'java'),
  path.join(os.homedir(), '.jdks'),
];

const onPath = (command: string): string | undefined => {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
};

/** Every distinct JDK in `java` on PATH and the search folders (each `java -version` run once). */
export function findJavaRuntimes(searchDirs: string[] = javaSearchDirs()): JavaRuntime[] {
  const binaries = new Set<string>();
  const add = (java: string | undefined) => {
    if (!java || !fs.existsSync(java)) return;
    try {
      binaries.add(fs.realpathSync(java));
    } catch {
      // unreadable: skip
    }
  };
  add(onPath('java'));
  for (const dir of searchDirs) {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      add(path.join(dir, entry, 'bin', 'java'));
      add(path.join(dir, entry, 'Contents', 'Home', 'bin', 'java'));
    }
  }
  return [...binaries].map(probeJava).filter((r): r is JavaRuntime => r !== undefined);
}

/** Long-term-support releases: 17, 21, 25, 29… */
const isLts = (major: number) => major >= 17 && (major - 17) % 4 === 0;

/** The runtime to prefer among those at least `min`: the newest LTS, else the newest. */
export function bestJava(runtimes: JavaRuntime[], min: number): JavaRuntime | undefined {
  return runtimes
    .filter((r) => r.major >= min)
    .sort((a, b) => Number(isLts(b.major)) - Number(isLts(a.major)) || b.major - a.major)[0];
}

const where = (r: JavaRuntime) => `Java ${r.major} (${r.java})`;

/**
 * The selection rule (pure; docs/stack.md explains it):
 * - JAVA_HOME, when set, must hold Java 17+ and runs Kafka; it runs Apicurio
 *   too when new enough for the Apicurio version.
 * - Otherwise each part runs on the newest LTS JDK found that is new enough
 *   (Kafka's docs recommend the most recent LTS).
 * - Apicurio: MLSTREAM_APICURIO_VERSION if set (3.1+ needs Java 21+, else
 *   fails naming it; 3.0.x prefers Java 17); unset, 3.3.3 when a Java 21+ is
 *   found, else 3.0.9 on 17.
 */
export function chooseJava(input: { runtimes: JavaRuntime[]; javaHome?: { path: string; runtime?: JavaRuntime }; apicurioVersion?: string }): JavaPlan {
  const { runtimes, javaHome, apicurioVersion } = input;
  if (javaHome && !javaHome.runtime) {
    throw missing('Java', `JAVA_HOME=${javaHome.path} has no runnable bin/java; point JAVA_HOME at a JDK 17+ or unset it to let mlstream find one`);
  }
  const pinned = javaHome?.runtime;
  if (pinned && pinned.major < 17) {
    throw missing('Java 17+', `JAVA_HOME=${javaHome!.path} is Java ${pinned.version}; point JAVA_HOME at a JDK 17+ or unset it`);
  }
  const newest17 = pinned ?? bestJava(runtimes, 17);
  if (!newest17) {
    const seen = runtimes.length ? `found only ${runtimes.map(where).join(', ')}` : 'no JDK found on PATH or in /usr/lib/jvm';
    throw missing('Java 17+', `${seen}; install a JDK 17+ (21+ for Apicurio 3.3; Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME`);
  }
  const kafka: JavaChoice = { runtime: newest17, reason: pinned ? 'JAVA_HOME' : 'newest LTS JDK found (Kafka recommends the latest LTS)' };

  const java21 = pinned && pinned.major >= 21 ? pinned : bestJava(runtimes, 21);
  if (!apicurioVersion) {
    if (java21) return { kafka, registry: { version: apicurioDefaults.withJava21, runtime: java21, reason: java21 === pinned ? 'JAVA_HOME is Java 21+' : 'Java 21+ found' } };
    return { kafka, registry: { version: apicurioDefaults.withJava17, runtime: newest17, reason: 'no Java 21+ found' } };
  }
  const need = apicurioJavaNeed(apicurioVersion);
  // 3.0.x was built and tested for Java 17: prefer exactly that one when present.
  const runtime = need >= 21 ? java21 : (pinned ?? runtimes.find((r) => r.major === 17) ?? newest17);
  if (!runtime) {
    throw missing(`Java ${need}+`, `MLSTREAM_APICURIO_VERSION=${apicurioVersion} needs Java ${need}+ and none was found (JAVA_HOME, PATH, ${javaSearchDirs()[0]}); install one or unset MLSTREAM_APICURIO_VERSION to run ${apicurioDefaults.withJava17} on Java 17`);
  }
  return { kafka, registry: { version: apicurioVersion, runtime, reason: `MLSTREAM_APICURIO_VERSION=${apicurioVersion} (needs Java ${need}+)` } };
}

/** Finds the JDKs of this machine and applies the selection rule. */
export function planJava(options: { javaHome?: string; apicurioVersion?: string; searchDirs?: string[] }): JavaPlan {
  const javaHome = options.javaHome ? { path: options.javaHome, runtime: probeJava(path.join(options.javaHome, 'bin', 'java')) } : undefined;
  return chooseJava({ runtimes: findJavaRuntimes(options.searchDirs), javaHome, apicurioVersion: options.apicurioVersion });
}

/** "Java 25 (/usr/lib/jvm/…/bin/java): Java 21+ found" */
export const describeChoice = (choice: JavaChoice): string => `${where(choice.runtime)}: ${choice.reason}`;
