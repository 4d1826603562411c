export * from './client.ts';
export * from './runner.ts';
