import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from '../browser/chromium.ts';
import { narrowFilter, sweepRuns } from '../browser/sweep.ts';

describe('the browser test harness', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chromium-path-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds chromium-browser on PATH when there is no chromium, prefers MLSTREAM_CHROMIUM, and reports none otherwise', () => {
    const binary = path.join(dir, 'chromium-browser');
    writeFileSync(binary, '#!/bin/sh\n');
    chmodSync(binary, 0o755);
    writeFileSync(path.join(dir, 'chromium'), 'not executable');
    expect(findChromium({ PATH: dir })).toBe(binary);
    expect(findChromium({ PATH: dir, MLSTREAM_CHROMIUM: '/opt/chromium/chrome' })).toBe('/opt/chromium/chrome');
    expect(findChromium({ PATH: path.join(dir, 'missing') })).toBeUndefined();
  });

  it('builds the same sweep from the same seed, and a filter that keeps about the wanted runs of one optimizer', () => {
    const options = { seed: 7, count: 2000, tag: 'sw', startAt: 0 };
    const runs = sweepRuns(options);
    expect(sweepRuns(options)).toEqual(runs);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(runs.length);
    const { filter, expected } = narrowFilter(runs, 'adam', 12);
    expect(filter).toMatch(/^params\.optimizer = 'adam' and metrics\.val_auc > 0\.\d+$/);
    expect(expected.length).toBeGreaterThanOrEqual(12);
    expect(expected.length).toBeLessThan(20);
    const threshold = Number(filter.split('> ')[1]);
    expect(expected).toEqual(runs.filter((r) => r.params.optimizer === 'adam' && r.metrics.val_auc > threshold));
  });
});
