export * from './expectations.ts';
