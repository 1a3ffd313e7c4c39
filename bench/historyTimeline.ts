import { type temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;

const timeOf = (e: Event): number => {
  const t = e.eventTime;
  const seconds = typeof t?.seconds === 'number' ? t.seconds : Number(t?.seconds?.toString() ?? 0);
  return seconds * 1000 + (t?.nanos ?? 0) / 1e6;
};

/** Where one run's wall time went, by the server's clock: the phases of its workflow and activity tasks. */
export interface Timeline {
  /** Workflow tasks: queued (scheduled to started: matching, a poll) and run (started to completed: the SDK's activation and our code). */
  readonly workflowTasks: number;
  readonly workflowTaskQueuedMs: number;
  readonly workflowTaskRunMs: number;
  /** Activity tasks (remote): queued (scheduled to started) and run (started to completed: the step's own work). */
  readonly activities: number;
  readonly activityQueuedMs: number;
  readonly activityRunMs: number;
  /** Local activities (markers): their work is inside the workflow task that ran them. */
  readonly localActivities: number;
  /** Commands that cost no round trip but a write each: search-attribute and memo upserts. */
  readonly upserts: number;
  /** First event to last, by the server's clock. */
  readonly historyMs: number;
  readonly events: number;
}

/** Sums the phases of one history: each workflow task's and each activity's queue and run times. */
export function timelineOf(events: readonly Event[]): Timeline {
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  let wftScheduledAt: number | undefined;
  let wftStartedAt: number | undefined;
  const t = { workflowTasks: 0, workflowTaskQueuedMs: 0, workflowTaskRunMs: 0, activities: 0, activityQueuedMs: 0, activityRunMs: 0, localActivities: 0, upserts: 0 };
  for (const e of events) {
    const at = timeOf(e);
    if (e.workflowTaskScheduledEventAttributes) wftScheduledAt = at;
    if (e.workflowTaskStartedEventAttributes) {
      wftStartedAt = at;
      if (wftScheduledAt !== undefined) t.workflowTaskQueuedMs += at - wftScheduledAt;
    }
    if (e.workflowTaskCompletedEventAttributes && wftStartedAt !== undefined) {
      t.workflowTasks++;
      t.workflowTaskRunMs += at - wftStartedAt;
    }
    if (e.activityTaskScheduledEventAttributes) scheduled.set(String(e.eventId), at);
    const a = e.activityTaskStartedEventAttributes;
    if (a) {
      started.set(String(a.scheduledEventId), at);
      t.activityQueuedMs += at - (scheduled.get(String(a.scheduledEventId)) ?? at);
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      t.activities++;
      t.activityRunMs += at - (started.get(String(done.scheduledEventId)) ?? at);
    }
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') t.localActivities++;
    if (e.upsertWorkflowSearchAttributesEventAttributes || e.workflowPropertiesModifiedEventAttributes) t.upserts++;
  }
  const historyMs = events.length > 0 ? timeOf(events[events.length - 1]) - timeOf(events[0]) : 0;
  return { ...t, historyMs, events: events.length };
}

/** Run time (started to completed) of each remote activity type, and each local activity's marker time after its workflow task started. */
export function activityRunMs(events: readonly Event[]): Record<string, number> {
  const types = new Map<string, string>();
  const started = new Map<string, number>();
  const out: Record<string, number> = {};
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) types.set(String(e.eventId), s.activityType?.name ?? '?');
    const a = e.activityTaskStartedEventAttributes;
    if (a) started.set(String(a.scheduledEventId), timeOf(e));
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const type = types.get(String(done.scheduledEventId)) ?? '?';
      out[type] = (out[type] ?? 0) + timeOf(e) - (started.get(String(done.scheduledEventId)) ?? timeOf(e));
    }
  }
  return out;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** The median of each phase over many runs. */
export function medianTimeline(timelines: readonly Timeline[]): Record<keyof Timeline, number> {
  const keys = Object.keys(timelines[0]) as (keyof Timeline)[];
  return Object.fromEntries(
    keys.map((k) => {
      const sorted = timelines.map((x) => x[k]).sort((a, b) => a - b);
      return [k, round(sorted[Math.floor(sorted.length / 2)])];
    }),
  ) as Record<keyof Timeline, number>;
}
