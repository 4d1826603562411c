export * from './read.ts';
export * from './drift.ts';
export * from './commands.ts';
export * from './lineage.ts';
