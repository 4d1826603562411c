import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// scripts/ensure-deps.mjs runs before `npm start`, `npm run demo` and `npm test`.
// These tests run it on a tiny project (one workspace, so `npm ci` is offline).
const script = path.resolve('scripts/ensure-deps.mjs');

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const project = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstream-deps-'));
  made.push(dir);
  const write = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(value, null, 2));
  };
  const version = (v: string) => {
    write('packages/a/package.json', { name: 'a', version: v });
    write('package-lock.json', {
      name: 'demo',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'demo', version: '1.0.0', workspaces: ['packages/*'] },
        'node_modules/a': { resolved: 'packages/a', link: true },
        'packages/a': { version: v },
      },
    });
  };
  write('package.json', { name: 'demo', version: '1.0.0', private: true, workspaces: ['packages/*'] });
  version('1.0.0');
  const ensure = () => {
    const result = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(script)}).then((m) => m.ensureDeps({ dir: process.cwd() }))`], { cwd: dir, encoding: 'utf8' });
    return { status: result.status, said: result.stderr + result.stdout };
  };
  const code = `import(${JSON.stringify(script)}).then((m) => m.ensureDeps({ dir: process.cwd() }))`;
  /** The same, started without waiting (two terminals at once). */
  const ensureAsync = () =>
    new Promise<{ status: number | null; said: string }>((resolve) => {
      const child = spawn(process.execPath, ['-e', code], { cwd: dir });
      let said = '';
      child.stdout.on('data', (d: Buffer) => (said += d.toString()));
      child.stderr.on('data', (d: Buffer) => (said += d.toString()));
      child.on('close', (status) => resolve({ status, said }));
    });
  return { dir, version, ensure, ensureAsync };
};

describe('ensure-deps (first command after git clone)', () => {
  it('installs when node_modules is missing, saying so, and is silent once installed', () => {
    const p = project();
    const first = p.ensure();
    expect(first.status).toBe(0);
    expect(first.said).toContain('mlstream: installing npm dependencies (node_modules missing)…');
    expect(fs.existsSync(path.join(p.dir, 'node_modules', 'a', 'package.json'))).toBe(true);

    expect(p.ensure()).toEqual({ status: 0, said: '' });
  });

  it('reinstalls when package-lock.json changed since the last install (a pull, a checkout)', () => {
    const p = project();
    expect(p.ensure().status).toBe(0);
    p.version('1.1.0');
    const again = p.ensure();
    expect(again.status).toBe(0);
    expect(again.said).toContain('mlstream: installing npm dependencies (package-lock changed)…');
    expect(JSON.parse(fs.readFileSync(path.join(p.dir, 'node_modules', '.package-lock.json'), 'utf8')).packages['packages/a'].version).toBe('1.1.0');
    expect(p.ensure().said).toBe('');
  });

  it('reinstalls when node_modules holds a package the lock does not list', () => {
    const p = project();
    expect(p.ensure().status).toBe(0);
    const hidden = path.join(p.dir, 'node_modules', '.package-lock.json');
    const installed = JSON.parse(fs.readFileSync(hidden, 'utf8'));
    installed.packages['node_modules/left-over'] = { version: '1.0.0' };
    fs.writeFileSync(hidden, JSON.stringify(installed));
    expect(p.ensure().said).toContain('(package-lock changed)');
  });

  it('installs once when two commands start together on a fresh clone; the other waits', async () => {
    const p = project();
    const both = await Promise.all([p.ensureAsync(), p.ensureAsync()]);
    expect(both.map((r) => r.status)).toEqual([0, 0]);
    expect(both.filter((r) => r.said.includes('installing npm dependencies')).length).toBe(1);
    expect(fs.existsSync(path.join(p.dir, '.mlstream', 'npm-install.lock'))).toBe(false);
    expect(p.ensure().said).toBe('');
  });
});
