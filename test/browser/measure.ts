// The browser test's measurements, taken in the page and from its network
// events. They are reported (printed and written to results.json), never
// asserted as timings: a loaded 2-core machine must not fail the build.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';

export const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

export interface ScriptTransfer {
  url: string;
  status: number;
  contentEncoding: string | null;
  /** Body bytes on the wire (after content-encoding), from the network events. */
  transferredBytes: number;
  /** Body bytes once decoded. */
  decodedBytes: number;
  /** What the decoded body takes gzipped (level 9), whatever the server sent. */
  gzipBytes: number;
}

/**
 * Records every script response of the page from now on; `total()` sums
 * them. Call before the first navigation so the whole first view is counted.
 */
export function recordScripts(page: Page) {
  const pending: Array<Promise<ScriptTransfer | undefined>> = [];
  const onResponse = (response: Response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      (async () => {
        // A response that finished loading has its sizes; a redirect or a failed one has no body to count.
        const [sizes, body] = await Promise.all([response.request().sizes(), response.body().catch(() => undefined)]);
        if (!body) return undefined;
        return { url: response.url(), status: response.status(), contentEncoding: (await response.headerValue('content-encoding')) ?? null, transferredBytes: sizes.responseBodySize, decodedBytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
      })(),
    );
  };
  page.on('response', onResponse);
  return {
    async total() {
      page.off('response', onResponse);
      const scripts = (await Promise.all(pending)).filter((s): s is ScriptTransfer => s !== undefined);
      const sum = (key: 'transferredBytes' | 'decodedBytes' | 'gzipBytes') => scripts.reduce((n, s) => n + s[key], 0);
      return { scripts, transferredBytes: sum('transferredBytes'), decodedBytes: sum('decodedBytes'), gzipBytes: sum('gzipBytes') };
    },
  };
}

/**
 * Installs, before any page script runs, an observer that stamps
 * `performance.now()` (ms since navigation start) into `window.__marks[name]`
 * the first time `selector` matches an element for which `ready` is true.
 * Reading it after the fact costs the page nothing while it renders.
 */
export async function markWhen(page: Page, name: string, selector: string, ready: string = 'true'): Promise<void> {
  await page.addInitScript(
    ({ name, selector, ready }) => {
      const w = window as unknown as { __marks?: Record<string, number> };
      w.__marks ??= {};
      const test = new Function('el', `return (${ready});`) as (el: Element) => boolean;
      const check = () => {
        if (w.__marks![name] !== undefined) return true;
        const el = document.querySelector(selector);
        if (el && test(el)) {
          w.__marks![name] = performance.now();
          return true;
        }
        return false;
      };
      const start = () => {
        if (check()) return;
        const observer = new MutationObserver(() => {
          if (check()) observer.disconnect();
        });
        observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
      };
      if (document.documentElement) start();
      else document.addEventListener('readystatechange', start, { once: true });
    },
    { name, selector, ready },
  );
}

/** The mark `name` set by markWhen, waiting for it up to `timeoutMs`. */
export async function readMark(page: Page, name: string, timeoutMs = 30_000): Promise<number> {
  const handle = await page.waitForFunction((n) => (window as unknown as { __marks?: Record<string, number> }).__marks?.[n], name, { timeout: timeoutMs });
  return (await handle.jsonValue()) as number;
}

/** Writes the measurements, with the machine they were taken on, to results.json and prints them. */
export function reportResults(results: Record<string, unknown>, print: (line: string) => void = (line) => console.log(line)): void {
  const text = JSON.stringify({ measuredAt: new Date().toISOString(), ...results }, null, 2);
  writeFileSync(RESULTS_FILE, `${text}\n`);
  print(`browser test measurements (${RESULTS_FILE}):\n${text}`);
}
