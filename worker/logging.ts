import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

/**
 * One JSON object per log line. Activity and workflow log calls carry the SDK's context
 * (namespace, taskQueue, workflowId, runId, activityType, attempt) in their metadata.
 */
export function installJsonLogging(level: LogLevel): void {
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: lvl, message, meta, timestampNanos }) => {
      const line = { time: new Date(Number(timestampNanos / 1_000_000n)).toISOString(), level: lvl, message, ...meta };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }),
  });
}
