export * from './types.ts';
export * from './run.ts';
