import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '@mlstream/kit';

/** services/console/build.mjs beside the default console folder. */
const buildScript = (dir: string) => path.join(path.dirname(dir), 'build.mjs');

/**
 * At gateway start: builds the console into its default folder when it is
 * missing (`npm start` and `npm test` build it first; this covers running the
 * gateway alone). A failed build is logged, not fatal: the API works without it.
 */
export async function ensureConsoleBuilt(dir: string, logger: Logger): Promise<void> {
  if (fs.existsSync(path.join(dir, 'index.html'))) return;
  const script = buildScript(dir);
  if (!fs.existsSync(script)) return void logger.warn({ dir }, 'console.missing: no build script beside it; /ui answers 404');
  logger.info({ dir }, 'console.building: dist missing, building it (npm run build:console)');
  try {
    const build = (await import(pathToFileURL(script).href)) as { ensureConsole(o: { outDir: string; log: (line: string) => void }): Promise<boolean> };
    await build.ensureConsole({ outDir: dir, log: (line) => logger.info(line) });
  } catch (error) {
    logger.warn({ err: error, dir }, 'console.build_failed: /ui answers 404 until `npm run build:console` succeeds');
  }
}
