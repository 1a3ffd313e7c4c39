/**
 * Two pools by task queue: the light pool runs workflow tasks, the sensor and I/O steps; the
 * compute pool runs training and evaluation, so it can be scaled on its own.
 */
export const TASK_QUEUES = {
  light: 'ml-pipeline',
  compute: 'ml-compute',
} as const;

export type PoolName = keyof typeof TASK_QUEUES;
export const POOL_NAMES = Object.keys(TASK_QUEUES) as PoolName[];

export const WORKFLOW_TYPE = 'mlPipeline';
export const INFERENCE_WORKFLOW_TYPE = 'mlInference';
