import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1m' });

/** The platform's floor: the same number of sequential activities as the pipeline, each doing nothing. */
export async function noopChain(steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await noop();
}
