export * from './batcher.ts';
