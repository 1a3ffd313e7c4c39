import { Inject, Injectable } from '@nestjs/common';
import { type Client, ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import { inferenceRunOptions } from '../../client/startInference';
import { pipelineRunOptions } from '../../client/startRun';
import { TEMPORAL_CLIENT } from '../tokens';
import { type OVERLAP_POLICIES, type CreateScheduleDto } from './schedules.dto';

type Overlap = (typeof OVERLAP_POLICIES)[number];

const OVERLAP: Record<Overlap, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  terminate_other: ScheduleOverlapPolicy.TERMINATE_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

export interface ScheduleView {
  readonly scheduleId: string;
  readonly paused: boolean;
  readonly note?: string;
  /** Temporal's own form of the spec: cron expressions come back as calendars. */
  readonly spec: ScheduleDescription['spec'];
  readonly overlap: string;
  readonly pipeline?: string;
  /** mlPipeline (training) or mlInference (batch inference). */
  readonly workflowType?: string;
  readonly nextActionTimes: string[];
  readonly recentRuns: { workflowId: string; runId: string; scheduledAt: string }[];
}

function view(scheduleId: string, d: ScheduleDescription): ScheduleView {
  const action = d.action as { args?: { pipeline?: string }[]; workflowType?: string };
  return {
    scheduleId,
    paused: d.state.paused,
    note: d.state.note,
    spec: d.spec,
    overlap: String(d.policies.overlap).toLowerCase(),
    pipeline: action.args?.[0]?.pipeline,
    workflowType: action.workflowType,
    nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
    recentRuns: d.info.recentActions.map((a) => ({
      workflowId: a.action.workflow.workflowId,
      runId: a.action.workflow.firstExecutionRunId,
      scheduledAt: a.scheduledAt.toISOString(),
    })),
  };
}

/** Temporal Schedules of pipeline runs: the scheduler is Temporal's, this only translates. */
@Injectable()
export class SchedulesService {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  /**
   * `body.params` were parsed by the request pipe. The action starts runs as the API does (same
   * workflow id, metadata and argument); Temporal appends each run's scheduled time to the workflow id.
   */
  async create(body: CreateScheduleDto): Promise<ScheduleView> {
    const handle = await this.client.schedule.create({
      scheduleId: body.scheduleId,
      spec: {
        cronExpressions: body.cron === undefined ? undefined : ([] as string[]).concat(body.cron),
        intervals: body.intervalSeconds === undefined ? undefined : [{ every: body.intervalSeconds * 1000 }],
      },
      // The refinement of the body guarantees exactly one of the two.
      action: { type: 'startWorkflow', ...(body.inferenceParams ? inferenceRunOptions(body.inferenceParams) : pipelineRunOptions(body.params!)) },
      policies: { overlap: OVERLAP[body.overlap] },
      state: { paused: body.paused, note: body.note },
    });
    return view(body.scheduleId, await handle.describe());
  }

  async list(): Promise<{ schedules: { scheduleId: string; paused: boolean; note?: string }[] }> {
    const schedules: { scheduleId: string; paused: boolean; note?: string }[] = [];
    for await (const s of this.client.schedule.list({ pageSize: 100 })) {
      schedules.push({ scheduleId: s.scheduleId, paused: s.state.paused, note: s.state.note });
      if (schedules.length >= 1000) break;
    }
    return { schedules };
  }

  async get(id: string): Promise<ScheduleView> {
    return view(id, await this.client.schedule.getHandle(id).describe());
  }

  async pause(id: string, note?: string): Promise<ScheduleView> {
    const handle = this.client.schedule.getHandle(id);
    await handle.pause(note);
    return view(id, await handle.describe());
  }

  async unpause(id: string, note?: string): Promise<ScheduleView> {
    const handle = this.client.schedule.getHandle(id);
    await handle.unpause(note);
    return view(id, await handle.describe());
  }

  async trigger(id: string, overlap?: Overlap): Promise<{ scheduleId: string; triggered: true }> {
    await this.client.schedule.getHandle(id).trigger(overlap ? OVERLAP[overlap] : undefined);
    return { scheduleId: id, triggered: true };
  }

  async backfill(id: string, start: string, end: string, overlap: Overlap): Promise<{ scheduleId: string; backfill: { start: string; end: string } }> {
    await this.client.schedule.getHandle(id).backfill({ start: new Date(start), end: new Date(end), overlap: OVERLAP[overlap] });
    return { scheduleId: id, backfill: { start, end } };
  }

  async delete(id: string): Promise<{ scheduleId: string; deleted: true }> {
    await this.client.schedule.getHandle(id).delete();
    return { scheduleId: id, deleted: true };
  }
}
