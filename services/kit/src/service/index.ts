export * from './bootstrap.ts';
export * from './readiness.ts';
export * from './group-member.ts';
