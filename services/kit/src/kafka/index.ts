export * from './client.ts';
export * from './consumer-preset.ts';
export * from './decode-or-dead-letter.ts';
export * from './read-to-end.ts';
export * from './assigner.ts';
export * from './topic-follower.ts';
