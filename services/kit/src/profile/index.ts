export * from './bins.ts';
export * from './profile.ts';
