export * from './limits.ts';
export * from './run.ts';
export * from './experiment.ts';
