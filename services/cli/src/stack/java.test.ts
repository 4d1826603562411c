import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { bestJava, chooseJava, parseJavaVersion, type JavaRuntime } from './java.ts';

const jdk = (major: number, version = `${major}.0.1`): JavaRuntime => ({ java: `/usr/lib/jvm/jdk-${major}/bin/java`, major, version });
const refusal = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
};

describe('parseJavaVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)', 17, '17.0.15'],
    ['openjdk version "25.0.3" 2026-04-21 LTS', 25, '25.0.3'],
    ['java version "1.8.0_391"', 8, '1.8.0_391'],
    ['openjdk version "26-ea" 2026-03-17', 26, '26-ea'],
    ['openjdk version "21" 2023-09-19', 21, '21'],
  ])('reads %j', (text, major, version) => {
    expect(parseJavaVersion(text)).toEqual({ major, version });
  });

  it('gives up on text that is not a version banner', () => {
    expect(parseJavaVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('bestJava', () => {
  it('prefers the newest LTS over a newer non-LTS release', () => {
    expect(bestJava([jdk(17), jdk(26), jdk(25), jdk(21)], 17)?.major).toBe(25);
  });

  it('takes a non-LTS release when nothing else is new enough', () => {
    expect(bestJava([jdk(17), jdk(24)], 21)?.major).toBe(24);
    expect(bestJava([jdk(17)], 21)).toBeUndefined();
  });
});

describe('chooseJava (the selection rule of docs/stack.md)', () => {
  it('runs Apicurio 3.3.3 on a Java 21+ when one is found, and Kafka on the newest LTS', () => {
    const plan = chooseJava({ runtimes: [jdk(17), jdk(25)] });
    expect(plan.registry).toMatchObject({ version: '3.3.3', runtime: { major: 25 }, reason: 'Java 21+ found' });
    expect(plan.kafka).toMatchObject({ runtime: { major: 25 }, reason: expect.stringMatching(/newest LTS/) });
  });

  it('falls back to Apicurio 3.0.9 on Java 17 when no Java 21+ is found, saying why', () => {
    const plan = chooseJava({ runtimes: [jdk(17)] });
    expect(plan.registry).toMatchObject({ version: '3.0.9', runtime: { major: 17 }, reason: 'no Java 21+ found' });
    expect(plan.kafka.runtime.major).toBe(17);
  });

  it('keeps Kafka on JAVA_HOME and still finds a Java 21+ elsewhere for Apicurio', () => {
    const home = jdk(17);
    const plan = chooseJava({ runtimes: [home, jdk(25)], javaHome: { path: '/usr/lib/jvm/jdk-17', runtime: home } });
    expect(plan.kafka).toMatchObject({ runtime: { major: 17 }, reason: 'JAVA_HOME' });
    expect(plan.registry).toMatchObject({ version: '3.3.3', runtime: { major: 25 } });
  });

  it('runs both on JAVA_HOME when it is Java 21+, even if a newer JDK is installed', () => {
    const home = jdk(21);
    const plan = chooseJava({ runtimes: [home, jdk(25)], javaHome: { path: '/usr/lib/jvm/jdk-21', runtime: home } });
    expect(plan.kafka.runtime.major).toBe(21);
    expect(plan.registry).toMatchObject({ version: '3.3.3', runtime: { major: 21 }, reason: 'JAVA_HOME is Java 21+' });
  });

  it('honours MLSTREAM_APICURIO_VERSION: 3.0.x on Java 17, 3.1+ only on Java 21+', () => {
    expect(chooseJava({ runtimes: [jdk(17), jdk(25)], apicurioVersion: '3.0.9' }).registry).toMatchObject({ version: '3.0.9', runtime: { major: 17 } });
    expect(chooseJava({ runtimes: [jdk(17), jdk(21)], apicurioVersion: '3.3.2' }).registry).toMatchObject({ version: '3.3.2', runtime: { major: 21 } });
    const error = refusal(() => chooseJava({ runtimes: [jdk(17)], apicurioVersion: '3.3.3' }));
    expect(isMlstreamError(error, 'STACK_PREREQUISITE_MISSING')).toBe(true);
    expect(error.message).toMatch(/MLSTREAM_APICURIO_VERSION=3\.3\.3 needs Java 21\+/);
  });

  it('refuses a JAVA_HOME without a runnable java, or older than 17, naming it', () => {
    expect(refusal(() => chooseJava({ runtimes: [jdk(25)], javaHome: { path: '/nonexistent/jdk' } })).message).toMatch(/JAVA_HOME=\/nonexistent\/jdk has no runnable bin\/java/);
    const old = jdk(11);
    expect(refusal(() => chooseJava({ runtimes: [old], javaHome: { path: '/opt/jdk11', runtime: old } })).message).toMatch(/JAVA_HOME=\/opt\/jdk11 is Java 11\.0\.1/);
  });

  it('refuses a machine without Java 17+, listing what it found', () => {
    const error = refusal(() => chooseJava({ runtimes: [jdk(11)] }));
    expect(isMlstreamError(error, 'STACK_PREREQUISITE_MISSING')).toBe(true);
    expect(error.message).toMatch(/Java 17\+ is missing: found only Java 11/);
  });
});
