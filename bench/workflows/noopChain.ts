import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1m' });
const local = proxyLocalActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1m' });

/** The platform's floor: the same number of sequential activities as the pipeline, each doing nothing. */
export async function noopChain(steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await noop();
}

/** The same chain as local activities: no task per step, only the workflow's own tasks. */
export async function noopLocalChain(steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await local.noop();
}

/**
 * A small run's shape with no work: the params check (local), ingest (an ordinary activity), then
 * validate, preprocess, train, evaluate, deploy, the tracking record and the report (local).
 */
export async function noopSmallRunShape(): Promise<void> {
  await local.noop();
  await noop();
  for (let i = 0; i < 7; i++) await local.noop();
}
