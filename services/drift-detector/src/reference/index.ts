export * from './lineage.ts';
