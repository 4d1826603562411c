export * from './sse.ts';
