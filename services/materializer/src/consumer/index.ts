export * from './store.ts';
export * from './writer.ts';
export * from './types.ts';
export * from './materializer.ts';
export * from './dedupe.ts';
export * from './flushing.ts';
export * from './rowbinary.ts';
