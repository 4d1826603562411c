#!/usr/bin/env node
// Builds the console into services/console/dist (index.html, app.js, app.css,
// and their .gz twins) with esbuild: one minified bundle, no code splitting,
// target es2020. `node build.mjs` always builds; `--if-stale` only when dist is
// missing or its stamp (a hash of every source file, this script and the
// installed preact/uplot versions) differs from the sources', which is what
// `npm start`, `npm test` and the gateway call. Plain Node plus esbuild.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
export const consoleRoot = here;
export const defaultOutDir = path.join(here, 'dist');
const STAMP = '.stamp';

const walk = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => !/\.test\.tsx?$/.test(f))
    .sort();

const versionOf = (pkg) => {
  for (const dir of [path.join(here, 'node_modules'), path.join(here, '..', '..', 'node_modules')]) {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, pkg, 'package.json'), 'utf8')).version;
    } catch {
      // not installed there
    }
  }
  return 'missing';
};

/** The hash of what the build reads: sources, this script, library versions. */
export function sourceStamp() {
  const hash = createHash('sha256');
  for (const file of [...walk(path.join(here, 'src')), path.join(here, 'build.mjs')]) {
    hash.update(path.relative(here, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  hash.update(`preact@${versionOf('preact')} uplot@${versionOf('uplot')}`);
  return hash.digest('hex');
}

/** Why dist must be (re)built, or undefined when it is up to date. */
export function staleness(outDir = defaultOutDir) {
  for (const f of ['index.html', 'app.js', 'app.css']) if (!fs.existsSync(path.join(outDir, f))) return `${path.join(outDir, f)} missing`;
  let stamp;
  try {
    stamp = fs.readFileSync(path.join(outDir, STAMP), 'utf8').trim();
  } catch {
    return 'no build stamp';
  }
  return stamp === sourceStamp() ? undefined : 'sources changed since the last build';
}

const html = (jsHash, cssHash) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mlstream console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/app.css?v=${cssHash}">
</head>
<body>
<div id="app"></div>
<noscript>The mlstream console needs JavaScript.</noscript>
<script src="/ui/app.js?v=${jsHash}" defer></script>
</body>
</html>
`;

/** Builds into outDir; returns sizes and time. */
export async function buildConsole({ outDir = defaultOutDir, log = (line) => console.error(line) } = {}) {
  const started = performance.now();
  const esbuild = await import('esbuild');
  const js = await esbuild.build({
    entryPoints: [path.join(here, 'src', 'main.tsx')],
    bundle: true,
    minify: true,
    splitting: false,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const styles = [require.resolve('uplot/dist/uPlot.min.css'), path.join(here, 'src', 'styles.css')].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const css = await esbuild.transform(styles, { loader: 'css', minify: true });
  const files = {
    'app.js': Buffer.from(js.outputFiles[0].contents),
    'app.css': Buffer.from(css.code),
  };
  const short = (b) => createHash('sha256').update(b).digest('hex').slice(0, 12);
  files['index.html'] = Buffer.from(html(short(files['app.js']), short(files['app.css'])));
  const stamp = sourceStamp();
  // Written to a sibling folder then swapped in, so a gateway serving dist never sees half a build.
  const tmp = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const sizes = {};
  for (const [name, content] of Object.entries(files)) {
    const gz = gzipSync(content, { level: 9 });
    fs.writeFileSync(path.join(tmp, name), content);
    fs.writeFileSync(path.join(tmp, `${name}.gz`), gz);
    sizes[name] = { bytes: content.length, gzip: gz.length };
  }
  fs.writeFileSync(path.join(tmp, STAMP), `${stamp}\n`);
  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(tmp, outDir);
  fs.rmSync(old, { recursive: true, force: true });
  const ms = Math.round(performance.now() - started);
  log(`console: built ${path.relative(process.cwd(), outDir) || outDir} in ${ms} ms (app.js ${sizes['app.js'].bytes} B, ${sizes['app.js'].gzip} B gzipped; app.css ${sizes['app.css'].gzip} B gzipped)`);
  return { ms, sizes };
}

/** Builds when dist is missing or stale; returns whether it built. */
export async function ensureConsole({ outDir = defaultOutDir, log = (line) => console.error(line) } = {}) {
  const reason = staleness(outDir);
  if (!reason) return false;
  log(`console: building (${reason})`);
  await buildConsole({ outDir, log });
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const ifStale = process.argv.includes('--if-stale');
  const json = process.argv.includes('--json');
  try {
    if (ifStale) await ensureConsole();
    else {
      const result = await buildConsole();
      if (json) console.log(JSON.stringify(result));
    }
  } catch (error) {
    console.error(`console: build failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
