import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { apicurioJavaNeed, loadStackSettings, stackDown, stackStatus, stackUp } from '@mlstream/cli';

const scratchHomes: string[] = [];
const scratchHome = () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstream-home-'));
  scratchHomes.push(home);
  return home;
};
// rmSync removes the `install` symlink, never what it points to.
afterAll(() => scratchHomes.forEach((home) => fs.rmSync(home, { recursive: true, force: true })));

describe('local stack lifecycle', () => {
  it('a second `up` while running starts nothing and reports every part ready', async () => {
    const result = await stackUp();
    expect(result.started).toEqual([]);
    expect(result.parts.map((p) => p.state)).toEqual(['already-running', 'already-running', 'already-running']);
  });

  it('status reports the versions really running', async () => {
    const parts = await stackStatus();
    const byName = Object.fromEntries(parts.map((p) => [p.part, p]));
    expect(byName.kafka).toMatchObject({ ready: true, version: expect.stringMatching(/^4\.\d+\.\d+$/) });
    expect(byName.registry).toMatchObject({ ready: true, version: expect.stringMatching(/^3\.\d+\.\d+/) });
    expect(byName.clickhouse).toMatchObject({ ready: true, version: expect.stringMatching(/^\d+\.\d+/) });
    expect(byName.registry!.summary).toMatch(/^Apicurio 3\.\d+\.\d+ on Java \d+ \(\/.+\): .+/);
  });

  it('status names the JDK each JVM part really runs on, new enough for its version', async () => {
    const parts = await stackStatus();
    for (const part of parts.filter((p) => p.part !== 'clickhouse')) {
      // The running process's own executable is the truth the status must report.
      expect(part.java?.path, part.part).toBe(fs.realpathSync(`/proc/${part.pid}/exe`));
      const need = part.part === 'registry' ? apicurioJavaNeed(part.version!) : 17;
      expect(part.java?.major, part.part).toBeGreaterThanOrEqual(need);
    }
  });

  it('fails fast naming the port and its variable when a port is taken', async () => {
    // A second state folder whose Kafka port is the running Kafka's port.
    const main = loadStackSettings();
    const settings = loadStackSettings({ MLSTREAM_HOME: scratchHome(), MLSTREAM_KAFKA_PORT: String(main.ports.kafka), MLSTREAM_CLICKHOUSE_HTTP_PORT: '18999', MLSTREAM_CLICKHOUSE_TCP_PORT: '18998' });
    // Share the already-downloaded installs so the test does not download again.
    fs.symlinkSync(main.dirs.install, settings.dirs.install);
    const error = await stackUp(() => {}, settings).catch((e: unknown) => e);
    await stackDown(() => {}, settings);
    expect(isMlstreamError(error, 'STACK_PORT_IN_USE')).toBe(true);
    expect((error as Error).message).toContain(`port ${main.ports.kafka}`);
    expect((error as Error).message).toContain('MLSTREAM_KAFKA_PORT');
  });

  it('fails fast naming Java when it is missing', async () => {
    const settings = loadStackSettings({ MLSTREAM_HOME: scratchHome(), JAVA_HOME: '/nonexistent/jdk' });
    const error = await stackUp(() => {}, settings).catch((e: unknown) => e);
    expect(isMlstreamError(error, 'STACK_PREREQUISITE_MISSING')).toBe(true);
    expect((error as Error).message).toMatch(/Java/);
  });

  it('`down` never stops a process it did not start, even one whose pid was recorded', async () => {
    const settings = loadStackSettings({ MLSTREAM_HOME: scratchHome() });
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      fs.mkdirSync(settings.dirs.run, { recursive: true });
      // A stale record: right pid, but the command line is not ours.
      fs.writeFileSync(
        path.join(settings.dirs.run, 'kafka.json'),
        JSON.stringify({ part: 'kafka', pid: stranger.pid, marker: path.join(settings.home, 'config/kafka/server.properties'), startedAt: '', log: '' }),
      );
      const result = await stackDown(() => {}, settings);
      expect(result.kafka).toBe('not-running');
      expect(() => process.kill(stranger.pid!, 0)).not.toThrow();
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('rejects a bad port setting naming the variable', () => {
    const error = (() => {
      try {
        loadStackSettings({ MLSTREAM_KAFKA_PORT: 'ninety' });
      } catch (e) {
        return e;
      }
    })();
    expect(isMlstreamError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/MLSTREAM_KAFKA_PORT \("ninety"\): expected a port number/);
  });
});
