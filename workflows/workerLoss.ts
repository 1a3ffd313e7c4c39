import { ActivityFailure, TimeoutFailure, TimeoutType } from '@temporalio/common';

/** Marks runs whose train step is scheduled again when its attempts ended in lost workers. */
export const WORKER_LOSS_PATCH = 'worker-loss-rounds';

/**
 * How many times a step's activity is scheduled anew after its retries ran out on lost workers:
 * with `MAX_ATTEMPTS.train` attempts each, 3 x (1 + 5) = 18 worker losses before the run fails.
 */
export const MAX_WORKER_LOSS_ROUNDS = 5;

/**
 * The heartbeat timeout that ended an activity's last attempt: its worker died (SIGKILL, OOM kill,
 * a node drained hard) or stopped heartbeating. Not the step's own error: its work is sound, the
 * process running it is gone. Any other failure (the step's error, its start-to-close limit) is not this.
 */
export function lostWorker(error: unknown): TimeoutFailure | undefined {
  return error instanceof ActivityFailure && error.cause instanceof TimeoutFailure && error.cause.timeoutType === TimeoutType.HEARTBEAT ? error.cause : undefined;
}

/**
 * Runs `call` again while its attempts end in lost workers, up to MAX_WORKER_LOSS_ROUNDS times,
 * handing it the last heartbeat details of the attempt that was lost (where it got to: a
 * checkpoint). `onLoss` hears of each round, e.g. for a warning in the result.
 */
export async function surviveWorkerLoss<T>(call: (lastDetails?: unknown) => Promise<T>, onLoss: (round: number) => void): Promise<T> {
  let lastDetails: unknown;
  for (let round = 0; ; round += 1) {
    try {
      return await call(lastDetails);
    } catch (error) {
      const lost = lostWorker(error);
      if (!lost || round >= MAX_WORKER_LOSS_ROUNDS) throw error;
      lastDetails = lost.lastHeartbeatDetails ?? lastDetails;
      onLoss(round + 1);
    }
  }
}
