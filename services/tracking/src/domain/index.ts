export * from './limits.ts';
export * from './run.ts';
