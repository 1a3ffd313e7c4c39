import { Context } from '@temporalio/activity';

/**
 * The latest heartbeat details of each running attempt. The steady heartbeat re-sends them, so it
 * never overwrites what the step itself recorded (a sensor's poke state, training progress).
 */
const latest = new WeakMap<Context, unknown>();

/** Heartbeats `details` for the current attempt and keeps them for the steady heartbeat. */
export function beat(details?: unknown): void {
  const ctx = Context.current();
  latest.set(ctx, details);
  // A local activity (a small run's step) has no heartbeat: the server knows of no such task.
  if (!ctx.info.isLocal) ctx.heartbeat(details);
}

/** How often the steady heartbeat fires: the worker's interval, and at least 4 times per heartbeat timeout. */
function beatEveryMs(intervalMs: number, heartbeatTimeoutMs: number): number {
  return Math.max(10, Math.min(intervalMs, Math.floor(heartbeatTimeoutMs / 4)));
}

/**
 * Wraps an activity so that, when its step has a heartbeat timeout, it heartbeats every
 * `intervalMs` from the activity's own thread whatever its body does. A dead worker is then noticed
 * within the heartbeat timeout, and the attempt learns of a cancellation on the next heartbeat
 * response. The first beats repeat the previous attempt's details, so a retry keeps its checkpoint.
 */
export function keepAlive<A extends unknown[], R>(activity: (...args: A) => Promise<R>, intervalMs: number): (...args: A) => Promise<R> {
  const wrapped = async (...args: A): Promise<R> => {
    const ctx = Context.current();
    const timeoutMs = ctx.info.heartbeatTimeoutMs;
    if (!timeoutMs) return activity(...args);
    if (!latest.has(ctx)) latest.set(ctx, ctx.info.heartbeatDetails);
    const timer = setInterval(() => ctx.heartbeat(latest.get(ctx)), beatEveryMs(intervalMs, timeoutMs));
    try {
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
  // The worker registers activities by key, but logs and stack traces read the function's name.
  Object.defineProperty(wrapped, 'name', { value: activity.name });
  return wrapped;
}
