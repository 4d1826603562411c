export { consoleRoutes } from './routes.ts';
export { ensureConsoleBuilt } from './ensure-built.ts';
export { acceptsGzip, staticAnswer, type StaticAnswer } from './static-files.ts';
