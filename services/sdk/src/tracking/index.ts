export * from './types.ts';
export * from './run.ts';
export * from './views.ts';
export * from './reads.ts';
