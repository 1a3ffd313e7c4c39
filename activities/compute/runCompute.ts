import { runInThread, type ThreadOptions } from './runInThread';
import { COMPUTE_TASKS, type ComputeTaskName, type TaskInput, type TaskOutput } from './tasks';

export interface ComputeOptions extends ThreadOptions {
  /** Run on this thread: for work smaller than a thread's round trip (the caller decides by its size). */
  readonly inline: boolean;
}

/**
 * A compute task in a thread (`runInThread`), or here when `inline`: a tiny table's parse or check
 * takes less than a millisecond or two of the event loop, less than handing it to a thread
 * (and a new thread's start when none is idle).
 */
export async function runCompute<N extends ComputeTaskName>(task: N, input: TaskInput<N>, options: ComputeOptions): Promise<TaskOutput<N>> {
  if (!options.inline) return runInThread(task, input, options);
  options.signal.throwIfAborted();
  const run = COMPUTE_TASKS[task] as (input: TaskInput<N>, channel: Parameters<(typeof COMPUTE_TASKS)[N]>[1]) => Promise<{ value: TaskOutput<N> }>;
  const { value } = await run(input, {
    progress: (progress) => void Promise.resolve(options.onProgress?.(progress)).catch(() => undefined),
    checkpoint: (checkpoint) => void Promise.resolve(options.onCheckpoint?.(checkpoint)).catch(() => undefined),
  });
  return value;
}
