import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { errorFromThread, FAILURE_TYPES, PipelineError, type StepProgress } from '../../contract';
import { type ThreadMessage, type ThreadStart } from './protocol';
import { type ComputeTaskName, type TaskInput, type TaskOutput } from './tasks';

/** The thread's entry beside this file: `.js` when compiled (dist/), `.ts` under tsx. */
const THREAD_FILE = join(__dirname, `thread${extname(__filename)}`);

let active = 0;

/** Compute threads alive in this process, for the worker's metrics. */
export function activeComputeThreads(): number {
  return active;
}

/** The thread died without an answer (out of memory, a native crash): retryable, like a worker crash. */
export class ComputeThreadError extends PipelineError {
  override readonly name = 'ComputeThreadError';
  constructor(message: string, options?: ErrorOptions) {
    super(FAILURE_TYPES.ComputeThreadError, message, options);
  }
}

function startThread(start: ThreadStart, transferList: ArrayBuffer[]): Worker {
  if (THREAD_FILE.endsWith('.ts')) {
    // Under tsx the loader is not inherited by worker threads: the thread registers it before loading the entry.
    const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(THREAD_FILE)});`;
    return new Worker(code, { eval: true, workerData: start, transferList });
  }
  return new Worker(THREAD_FILE, { workerData: start, transferList });
}

export interface ThreadOptions {
  /** Buffers of `input` to move into the thread instead of copying (they are unusable here afterwards). */
  readonly transfer?: ArrayBuffer[];
  readonly onProgress?: (progress: StepProgress) => unknown;
  readonly onCheckpoint?: (checkpoint: unknown) => unknown;
  /** Aborting terminates the thread at once, wherever its computation is, and frees its memory. */
  readonly signal: AbortSignal;
}

/**
 * Runs one compute task in a thread of its own, off the event loop that serves heartbeats,
 * workflow tasks and queries. One thread per call: terminating it is how a cancelled or timed-out
 * attempt stops, and its memory goes with it.
 */
export function runInThread<N extends ComputeTaskName>(task: N, input: TaskInput<N>, options: ThreadOptions): Promise<TaskOutput<N>> {
  const { signal } = options;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const worker = startThread({ task, input }, options.transfer ?? []);
    active += 1;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      // Wait for the thread to be gone, so the attempt ends only when its memory is free.
      worker.terminate().then(outcome, outcome);
    };
    const onAbort = () => settle(() => reject(signal.reason as Error));
    signal.addEventListener('abort', onAbort);
    worker.on('message', (message: ThreadMessage) => {
      if (message.kind === 'progress') {
        Promise.resolve(options.onProgress?.(message.progress)).catch(() => undefined);
      } else if (message.kind === 'checkpoint') {
        Promise.resolve(options.onCheckpoint?.(message.checkpoint)).catch(() => undefined);
      } else if (message.kind === 'result') {
        settle(() => resolve(message.value as TaskOutput<N>));
      } else {
        settle(() => reject(errorFromThread(message.error)));
      }
    });
    worker.on('error', (error) => settle(() => reject(new ComputeThreadError(`compute thread for ${task} failed: ${error.message}`, { cause: error }))));
    worker.on('exit', (code) => {
      active -= 1;
      settle(() => reject(new ComputeThreadError(`compute thread for ${task} exited (code ${code}) without an answer`)));
    });
  });
}
