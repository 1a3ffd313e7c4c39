export * from './params';
export * from './parse';
export * from './status';
export * from './messages';
export * from './searchAttributes';
export * from './taskQueues';
export * from './workflowId';
export * from './layout';
