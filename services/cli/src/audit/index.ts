export * from './drift.ts';
export * from './commands.ts';
export * from './lineage.ts';
export * from './retrain.ts';
