export * from './connect.ts';
export * from './prediction-logger.ts';
export * from './subscribe-retrain.ts';
