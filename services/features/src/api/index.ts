export * from './app.ts';
export * from './online.ts';
