export * from './service.ts';
export * from './snapshots.ts';
