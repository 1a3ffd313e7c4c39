import { type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { stepOfActivity } from '../../contract';

/** A step's activity as the Temporal server records it: its true attempt and its last heartbeat. */
export interface PendingStepView {
  readonly step: string;
  readonly activityType: string;
  /** SCHEDULED (waiting for a worker, e.g. between retries), STARTED or CANCEL_REQUESTED. */
  readonly state: string;
  readonly attempt: number;
  readonly maximumAttempts: number;
  readonly lastStartedAt?: string;
  readonly lastHeartbeatAt?: string;
  /** The last heartbeat details: the step's progress (or its checkpoint). */
  readonly heartbeat?: unknown;
  /** Why the previous attempt failed, when this one is a retry. */
  readonly lastFailure?: string;
  readonly lastWorker?: string;
}

type PendingActivity = NonNullable<WorkflowExecutionDescription['raw']['pendingActivities']>[number];

const STATE_PREFIX = 'PENDING_ACTIVITY_STATE_';

/** The first heartbeat detail, through the client's codecs and converter; undefined when there is none or it cannot be read. */
async function heartbeatOf(client: Client, activity: PendingActivity): Promise<unknown> {
  let payloads = activity.heartbeatDetails?.payloads ?? [];
  if (payloads.length === 0) return undefined;
  const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
  try {
    for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
    return payloadConverter.fromPayload(payloads[0]);
  } catch {
    // Details another client encoded differently are not worth failing the whole view for.
    return undefined;
  }
}

/** The run's pending activities from its description, by step. */
export async function pendingSteps(client: Client, description: WorkflowExecutionDescription): Promise<PendingStepView[]> {
  return Promise.all(
    (description.raw.pendingActivities ?? []).map(async (a): Promise<PendingStepView> => {
      const activityType = a.activityType?.name ?? 'unknown';
      const state = temporal.api.enums.v1.PendingActivityState[a.state ?? 0] ?? 'UNSPECIFIED';
      return {
        step: stepOfActivity(activityType),
        activityType,
        state: state.replace(STATE_PREFIX, ''),
        attempt: a.attempt ?? 1,
        maximumAttempts: a.maximumAttempts ?? 0,
        lastStartedAt: optionalTsToDate(a.lastStartedTime)?.toISOString(),
        lastHeartbeatAt: optionalTsToDate(a.lastHeartbeatTime)?.toISOString(),
        heartbeat: await heartbeatOf(client, a),
        lastFailure: a.lastFailure?.message ?? undefined,
        lastWorker: a.lastWorkerIdentity ?? undefined,
      };
    }),
  );
}
