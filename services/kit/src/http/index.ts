export * from './health.ts';
export * from './ops.ts';
