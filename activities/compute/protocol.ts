import { type StepProgress, type ThreadErrorShape } from '../../contract';

/** What the activity hands a compute thread: at its start (as `workerData`), or as a message to a spare one. */
export interface ThreadStart<I = unknown> {
  readonly task: string;
  readonly input: I;
}

/** Messages from a compute thread to its activity: progress and checkpoints any number of times, then one result or error. */
export type ThreadMessage =
  | { readonly kind: 'progress'; readonly progress: StepProgress }
  | { readonly kind: 'checkpoint'; readonly checkpoint: unknown }
  | { readonly kind: 'result'; readonly value: unknown; readonly heapBytes?: number }
  | { readonly kind: 'error'; readonly error: ThreadErrorShape };

/** What a task returns: its value and the buffers to move (not copy) back to the activity. */
export interface Computed<O> {
  readonly value: O;
  readonly transfer?: ArrayBuffer[];
}

/** How a task talks to its activity while it runs. */
export interface TaskChannel {
  readonly progress: (progress: StepProgress) => void;
  /** Partial results the activity stores, so a retry can resume from them. */
  readonly checkpoint: (checkpoint: unknown) => void;
}

/** One unit of CPU-heavy work: plain data in, plain data (and buffers) out. */
export type ComputeTask<I, O> = (input: I, channel: TaskChannel) => Promise<Computed<O>>;

/**
 * The buffer under `bytes` when it can be moved to another thread as a whole; otherwise (a view
 * into a shared or larger buffer) a copy that can.
 */
export function movable(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
