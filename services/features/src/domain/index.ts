export * from './online.ts';
export * from './read.ts';
export * from './history.ts';
export * from './skew.ts';
