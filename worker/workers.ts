import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps, type PipelineActivities } from '../activities';
import { TASK_QUEUES, type PoolName } from '../contract';
import { type WorkerConfig } from './config';

type WorkflowSource = Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle'>;

/** The prebuilt bundle when configured (images), else the workflow sources, bundled at start. */
export function workflowSource(config: Pick<WorkerConfig, 'workflowBundlePath'>): WorkflowSource {
  return config.workflowBundlePath ? { workflowBundle: { codePath: config.workflowBundlePath } } : { workflowsPath: require.resolve('../workflows') };
}

/** The light pool runs workflows and I/O steps; the compute pool only training and evaluation. */
function activitiesFor(pool: PoolName, all: PipelineActivities): Partial<PipelineActivities> {
  return pool === 'compute' ? { train: all.train, evaluate: all.evaluate } : all;
}

/** One worker per configured pool, sharing a connection and the activities' adapters. */
export async function createWorkers(
  config: WorkerConfig,
  connection: NativeConnection,
  deps: ActivityDeps,
  source: WorkflowSource = workflowSource(config),
): Promise<Worker[]> {
  const activities = createActivities(deps);
  return Promise.all(
    config.pools.map((pool) =>
      Worker.create({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: TASK_QUEUES[pool],
        activities: activitiesFor(pool, activities),
        ...(pool === 'light' ? source : {}),
        maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities[pool],
        maxConcurrentWorkflowTaskExecutions: config.maxConcurrentWorkflowTasks,
        shutdownGraceTime: config.shutdownGraceMs,
      }),
    ),
  );
}

/** Runs workers until the process is asked to stop (the SDK shuts them down on SIGINT/SIGTERM). */
export async function runWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.run()));
}
