/**
 * The Temporal SDK runtime metrics the Grafana dashboard reads, as the worker exports them
 * (worker/logging.ts: `_total` on counters, durations in seconds with the unit in the name). The
 * metrics integration test checks that a real worker exports each of them after a run, so the
 * dashboard test can trust this list.
 */
export const SDK_METRIC_NAMES = [
  'temporal_activity_schedule_to_start_latency_seconds',
  'temporal_workflow_task_schedule_to_start_latency_seconds',
  'temporal_activity_execution_latency_seconds',
  'temporal_worker_task_slots_used',
  'temporal_worker_task_slots_available',
  'temporal_num_pollers',
  'temporal_workflow_completed_total',
] as const;
