import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel, type TelemetryOptions } from '@temporalio/worker';
import { redactText } from '../contract';

export interface RuntimeTelemetry {
  /** `host:port` where the SDK serves its own runtime metrics for Prometheus; none when omitted. */
  readonly sdkMetricsAddress?: string;
}

/**
 * The SDK's runtime metrics in Prometheus conventions: counters end in `_total`, durations are in
 * seconds with the unit in the name (e.g. `temporal_activity_schedule_to_start_latency_seconds`).
 */
function prometheusMetrics(bindAddress: string): TelemetryOptions['metrics'] {
  return { prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } };
}

/**
 * Installs the process's Temporal Runtime (once per process): one JSON object per log line, and
 * the SDK's runtime metrics when asked for. Activity and workflow log calls carry the SDK's context
 * (namespace, taskQueue, workflowId, workflowRunId / runId, activityType, attempt) in their metadata,
 * and activities also the step (worker/activityLogInterceptor.ts).
 */
export function installJsonLogging(level: LogLevel, telemetry: RuntimeTelemetry = {}): void {
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: lvl, message, meta, timestampNanos }) => {
      const line = { time: new Date(Number(timestampNanos / 1_000_000n)).toISOString(), level: lvl, message, ...meta };
      // A URL with credentials can reach a line through an error or an SDK message: redacted on the way out.
      process.stdout.write(`${redactText(JSON.stringify(line))}\n`);
    }),
    telemetryOptions: telemetry.sdkMetricsAddress ? { metrics: prometheusMetrics(telemetry.sdkMetricsAddress) } : {},
  });
}

/** For tests and benchmarks, which read results, not logs: only errors from the SDK (Rust core and JS). */
export function installQuietRuntime(): void {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} } },
  });
}
