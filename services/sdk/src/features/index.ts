export * from './api.ts';
export * from './writer.ts';
