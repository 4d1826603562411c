export * from './run.ts';
export * from './options.ts';
export * from './platform.ts';
export * from './data.ts';
export * from './traffic.ts';
