export * from './profile.ts';
export * from './lineage.ts';
