export * from './post.ts';
export * from './positions.ts';
export * from './subscription-deliverer.ts';
export * from './deliverer.ts';
