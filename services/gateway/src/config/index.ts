export * from './gateway-config.ts';
