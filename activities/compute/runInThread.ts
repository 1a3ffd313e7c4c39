import { AsyncResource } from 'node:async_hooks';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { errorFromThread, FAILURE_TYPES, PipelineError, type StepProgress } from '../../contract';
import { type ThreadMessage, type ThreadStart } from './protocol';
import { type ComputeTaskName, type TaskInput, type TaskOutput } from './tasks';

/** The thread's entry beside this file: `.js` when compiled (dist/), `.ts` under tsx. */
const THREAD_FILE = join(__dirname, `thread${extname(__filename)}`);

/**
 * Idle threads kept loaded for the next task. Starting one costs 50-100 ms compiled and over a
 * second under tsx (measured: 1.4 s on a loaded 2-core machine), more than a small run's whole work.
 */
const MAX_IDLE = 4;
/** A thread whose heap (with its external buffers) is larger after its task is ended, not kept: its memory goes back. */
const MAX_REUSED_HEAP_BYTES = 96 * 1024 * 1024;

let active = 0;
/** Threads started and not yet exited, busy or idle. */
let live = 0;
/** Idle threads, each with the listener that forgets it should it exit while idle. */
const idle: { worker: Worker; forget: () => void }[] = [];

/** Compute tasks running in this process, for the worker's metrics; idle threads are not counted. */
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

function startThread(): Worker {
  // Under tsx the loader is not inherited by worker threads: the thread registers it before loading the entry.
  const worker = THREAD_FILE.endsWith('.ts')
    ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(THREAD_FILE)});`, { eval: true })
    : new Worker(THREAD_FILE);
  live++;
  worker.once('exit', () => live--);
  return worker;
}

/**
 * An idle thread, or a new one; `ref`'d while it works. Taking the last idle one starts its
 * replacement, so the next step (validate right after a large ingest) finds a thread loaded
 * rather than waiting for one to start.
 */
function takeThread(): Worker {
  const kept = idle.pop();
  if (!kept) return startThread();
  kept.worker.off('exit', kept.forget).off('error', kept.forget);
  kept.worker.ref();
  prewarmComputeThread();
  return kept.worker;
}

/**
 * Keeps a thread that ended its task with a small heap, unless enough are idle; an idle thread never
 * holds the process open. A thread ended with none idle is replaced by a fresh one.
 */
function release(worker: Worker, heapBytes: number | undefined): Promise<void> {
  if (heapBytes === undefined || heapBytes > MAX_REUSED_HEAP_BYTES || idle.length >= MAX_IDLE) {
    const ended = worker.terminate().then(() => undefined);
    prewarmComputeThread();
    return ended;
  }
  worker.unref();
  const forget = () => {
    const at = idle.findIndex((k) => k.worker === worker);
    if (at >= 0) idle.splice(at, 1);
  };
  worker.on('exit', forget).on('error', forget);
  idle.push({ worker, forget });
  return Promise.resolve();
}

/**
 * Starts a thread ahead of the next task, so that task does not pay the thread's start. Not once
 * `MAX_IDLE` threads exist: many small concurrent tasks would otherwise start a spare on every
 * burst and end it when the burst's threads come back (measured: throughput of tiny runs fell from
 * 9.0 to 7.4 a second).
 */
export function prewarmComputeThread(): void {
  if (idle.length > 0 || live >= MAX_IDLE) return;
  void release(startThread(), 0);
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
 * Runs one compute task in a thread, off the event loop that serves heartbeats, workflow tasks and
 * queries. A cancelled, timed-out or failed attempt terminates its thread (that is how it stops, and
 * its memory goes with it); a thread that answered with a small heap is kept for the next task.
 */
export function runInThread<N extends ComputeTaskName>(task: N, input: TaskInput<N>, options: ThreadOptions): Promise<TaskOutput<N>> {
  const { signal } = options;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const worker = takeThread();
    active += 1;
    let settled = false;
    const settle = (outcome: () => void, heapBytes?: number) => {
      if (settled) return;
      settled = true;
      active -= 1;
      signal.removeEventListener('abort', onAbort);
      worker.off('message', boundMessage).off('error', boundError).off('exit', boundExit);
      // Wait for the thread to be gone (or idle), so the attempt ends only when its memory is free.
      release(worker, heapBytes).then(outcome, outcome);
    };
    const onAbort = () => settle(() => reject(signal.reason as Error));
    signal.addEventListener('abort', onAbort);
    const onMessage = (message: ThreadMessage) => {
      if (message.kind === 'progress') {
        Promise.resolve(options.onProgress?.(message.progress)).catch(() => undefined);
      } else if (message.kind === 'checkpoint') {
        Promise.resolve(options.onCheckpoint?.(message.checkpoint)).catch(() => undefined);
      } else if (message.kind === 'result') {
        settle(() => resolve(message.value as TaskOutput<N>), message.heapBytes);
      } else {
        settle(() => reject(errorFromThread(message.error)));
      }
    };
    const onError = (error: Error) => settle(() => reject(new ComputeThreadError(`compute thread for ${task} failed: ${error.message}`, { cause: error })));
    const onExit = (code: number) => settle(() => reject(new ComputeThreadError(`compute thread for ${task} exited (code ${code}) without an answer`)));
    // Bound to this attempt's async context: a reused thread was started in another's, and the activity's Context is read from it.
    const [boundMessage, boundError, boundExit] = [AsyncResource.bind(onMessage), AsyncResource.bind(onError), AsyncResource.bind(onExit)];
    worker.on('message', boundMessage).on('error', boundError).on('exit', boundExit);
    const start: ThreadStart = { task, input };
    worker.postMessage(start, options.transfer ?? []);
  });
}
