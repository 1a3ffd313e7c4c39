import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, prewarmComputeThread, type ActivityDeps, type PipelineActivities } from '../activities';
import { TASK_QUEUES, type PoolName } from '../contract';
import { activityLogInterceptor } from './activityLogInterceptor';
import { type WorkerConfig } from './config';
import { type WorkerMetrics } from './metrics';
import { activityMetricsInterceptor } from './metricsInterceptor';

type WorkflowSource = Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle'>;

/** The prebuilt bundle when configured (images), else the workflow sources, bundled at start. */
export function workflowSource(config: Pick<WorkerConfig, 'workflowBundlePath'>): WorkflowSource {
  return config.workflowBundlePath ? { workflowBundle: { codePath: config.workflowBundlePath } } : { workflowsPath: require.resolve('../workflows') };
}

/** The light pool runs workflows and I/O steps; the compute pool only training (whole or in shards), search trials, evaluation, the production comparison, batch scoring and drift scoring. */
function activitiesFor(pool: PoolName, all: PipelineActivities): Partial<PipelineActivities> {
  if (pool !== 'compute') return all;
  const { train, trainShard, mergeForest, tuneTrial, evaluate, compareWithProduction, predict, evaluateBatch, drift } = all;
  return { train, trainShard, mergeForest, tuneTrial, evaluate, compareWithProduction, predict, evaluateBatch, drift };
}

/** Every activity log line names its step; with `metrics`, every attempt is also measured. */
export function activityInterceptors(metrics?: WorkerMetrics): NonNullable<WorkerOptions['interceptors']>['activity'] {
  return metrics ? [activityLogInterceptor, activityMetricsInterceptor(metrics)] : [activityLogInterceptor];
}

/** One worker per configured pool, sharing a connection, the activities' adapters and the metrics registry. */
export async function createWorkers(
  config: WorkerConfig,
  connection: NativeConnection,
  deps: ActivityDeps,
  source: WorkflowSource = workflowSource(config),
  metrics?: WorkerMetrics,
): Promise<Worker[]> {
  const activities = createActivities(deps);
  // Both pools run compute tasks (the light one those of small runs' local steps): the first should not wait for a thread to load.
  prewarmComputeThread();
  const interceptors = { activity: activityInterceptors(metrics) };
  return Promise.all(
    config.pools.map((pool) =>
      Worker.create({
        connection,
        namespace: config.temporal.namespace,
        dataConverter: config.temporal.dataConverter,
        taskQueue: TASK_QUEUES[pool],
        activities: activitiesFor(pool, activities),
        ...(pool === 'light' ? { ...source, workflowThreadPoolSize: config.workflowThreads } : {}),
        maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities[pool],
        maxConcurrentWorkflowTaskExecutions: config.maxConcurrentWorkflowTasks,
        maxConcurrentLocalActivityExecutions: config.maxConcurrentLocalActivities,
        shutdownGraceTime: config.shutdownGraceMs,
        // Cancellations and timeouts reach an attempt in a heartbeat's answer: at most this late.
        maxHeartbeatThrottleInterval: config.heartbeat.throttleMs,
        interceptors,
      }),
    ),
  );
}

/** Runs workers until the process is asked to stop (the SDK shuts them down on SIGINT/SIGTERM). */
export async function runWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.run()));
}
