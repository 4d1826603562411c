export * from './types.ts';
export * from './fold.ts';
export * from './series.ts';
export * from './barrier.ts';
export * from './consistency.ts';
export * from './read-view.ts';
export * from './search.ts';
