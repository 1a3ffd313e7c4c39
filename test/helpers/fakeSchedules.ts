import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Backfill, type ScheduleOptions, type ScheduleOverlapPolicy } from '@temporalio/client';
import { type SearchAttributePair } from '@temporalio/common';
import { type FakeWorkflows } from './fakeWorkflows';

/** One Temporal Schedule as the fake server keeps it; tests read and change it directly. */
export interface FakeSchedule {
  readonly options: ScheduleOptions;
  paused: boolean;
  note?: string;
  readonly triggers: (ScheduleOverlapPolicy | undefined)[];
  readonly backfills: Backfill[];
  readonly recentActions: { scheduledAt: Date; workflowId: string; runId: string }[];
}

/** In-memory Temporal Schedules; a trigger starts the schedule's workflow as the server would. */
export class FakeSchedules {
  readonly byId = new Map<string, FakeSchedule>();

  constructor(private readonly workflows: FakeWorkflows) {}

  create(options: ScheduleOptions) {
    return Promise.resolve().then(() => {
      if (this.byId.has(options.scheduleId)) throw new ScheduleAlreadyRunning('Schedule already exists and is running', options.scheduleId);
      this.byId.set(options.scheduleId, {
        options,
        paused: options.state?.paused ?? false,
        note: options.state?.note,
        triggers: [],
        backfills: [],
        recentActions: [],
      });
      return this.getHandle(options.scheduleId);
    });
  }

  async *list(): AsyncIterable<{ scheduleId: string; state: { paused: boolean; note?: string } }> {
    for (const [scheduleId, s] of this.byId) yield await Promise.resolve({ scheduleId, state: { paused: s.paused, note: s.note } });
  }

  getHandle(scheduleId: string) {
    const schedule = () => {
      const s = this.byId.get(scheduleId);
      if (!s) throw new ScheduleNotFoundError(`schedule not found: ${scheduleId}`, scheduleId);
      return s;
    };
    const change = (fn: (s: FakeSchedule) => void) => Promise.resolve().then(() => fn(schedule()));
    // The default notes are the SDK's own (stray quote included).
    return {
      scheduleId,
      describe: () => Promise.resolve().then(() => description(scheduleId, schedule())),
      pause: (note?: string) => change((s) => Object.assign(s, { paused: true, note: note ?? 'Paused via TypeScript SDK"' })),
      unpause: (note?: string) => change((s) => Object.assign(s, { paused: false, note: note ?? 'Unpaused via TypeScript SDK"' })),
      trigger: (overlap?: ScheduleOverlapPolicy) =>
        change((s) => {
          s.triggers.push(overlap);
          const scheduledAt = new Date();
          // The server names a scheduled run after the action's workflow id and the scheduled time.
          const { action } = s.options;
          const workflowId = `${action.workflowId}-${scheduledAt.toISOString().replace(/\.\d+Z$/, 'Z')}`;
          const run = this.workflows.add({
            workflowId,
            type: String(action.workflowType),
            taskQueue: action.taskQueue,
            args: [...((action.args as unknown[] | undefined) ?? [])],
            memo: action.memo,
            searchAttributes: (action.typedSearchAttributes as SearchAttributePair[] | undefined) ?? [],
          });
          s.recentActions.push({ scheduledAt, workflowId, runId: run.runId });
        }),
      backfill: (b: Backfill | Backfill[]) => change((s) => s.backfills.push(...([] as Backfill[]).concat(b))),
      delete: () => change(() => this.byId.delete(scheduleId)),
    };
  }
}

/** The fields of ScheduleDescription the API reads, shaped as the SDK gives them. */
function description(scheduleId: string, s: FakeSchedule) {
  return {
    scheduleId,
    spec: s.options.spec,
    action: s.options.action,
    policies: { overlap: s.options.policies?.overlap ?? 'SKIP' },
    state: { paused: s.paused, note: s.note },
    info: {
      nextActionTimes: s.paused ? [] : [new Date(Date.now() + 60_000)],
      recentActions: s.recentActions.map((a) => ({
        scheduledAt: a.scheduledAt,
        takenAt: a.scheduledAt,
        action: { type: 'startWorkflow', workflow: { workflowId: a.workflowId, firstExecutionRunId: a.runId } },
      })),
    },
  };
}
