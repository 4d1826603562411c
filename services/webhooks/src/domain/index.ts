export * from './signature.ts';
export * from './sources.ts';
export * from './subscriptions.ts';
export * from './retry.ts';
export * from './cloudevent.ts';
export * from './rewind.ts';
