import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { fromLibraryError, PipelineError, threadErrorShape } from '../../contract';
import { fromSystemError } from '../systemErrors';
import { type ComputeTask, type ThreadMessage, type ThreadStart } from './protocol';
import { COMPUTE_TASKS } from './tasks';

/* The entry of a compute thread: loads the tasks once, then runs each task it is sent and reports back. */

const port = parentPort;
if (!port) throw new Error('activities/compute/thread runs as a worker thread, started by runInThread');
const post = (message: ThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
/** Heap left after a task: the activity reuses the thread only while it is small. */
const heapBytes = () => {
  const h = getHeapStatistics();
  return h.total_heap_size + h.external_memory;
};

/**
 * What to send back for `error`: a system error that the same input raises again (a directory as
 * the source, an array too large) as the permanent failure the activity's runStep would make of
 * it, since its code and class do not survive the hop.
 */
function answerable(error: unknown): unknown {
  if (error instanceof PipelineError || fromLibraryError(error)) return error;
  return fromSystemError(error) ?? error;
}

function runTask({ task, input }: ThreadStart): void {
  const run = (COMPUTE_TASKS as Record<string, ComputeTask<unknown, unknown> | undefined>)[task];
  if (!run) {
    post({ kind: 'error', error: { name: 'UnknownComputeTaskError', message: `no compute task named "${task}"` } });
    return;
  }
  // Through a promise, so an error thrown before the task's first await is answered like any other.
  Promise.resolve()
    .then(() =>
      run(input, {
        progress: (progress) => post({ kind: 'progress', progress }),
        checkpoint: (checkpoint) => post({ kind: 'checkpoint', checkpoint }),
      }),
    )
    .then(
      ({ value, transfer }) => post({ kind: 'result', value, heapBytes: heapBytes() }, transfer),
      (error: unknown) => post({ kind: 'error', error: threadErrorShape(answerable(error)) }),
    );
}

// One task at a time: the activity sends the next only after this one's answer.
port.on('message', (start: ThreadStart) => runTask(start));
