export * from './client.ts';
export * from './runner.ts';
export * from './read-to-end.ts';
export * from './assigner.ts';
