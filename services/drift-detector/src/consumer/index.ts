export * from './service.ts';
export * from './snapshots.ts';
export * from './lineage-follower.ts';
