import { parentPort, workerData } from 'node:worker_threads';
import { threadErrorShape } from '../../contract';
import { type ComputeTask, type ThreadMessage, type ThreadStart } from './protocol';
import { COMPUTE_TASKS } from './tasks';

/* The entry of a compute thread: runs the one task it was started for and reports back. */

const port = parentPort;
if (!port) throw new Error('activities/compute/thread runs as a worker thread, started by runInThread');
const post = (message: ThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const { task, input } = workerData as ThreadStart;
const run = (COMPUTE_TASKS as Record<string, ComputeTask<unknown, unknown> | undefined>)[task];

if (!run) {
  post({ kind: 'error', error: { name: 'UnknownComputeTaskError', message: `no compute task named "${task}"` } });
} else {
  // Through a promise, so an error thrown before the task's first await is answered like any other.
  Promise.resolve()
    .then(() =>
      run(input, {
        progress: (progress) => post({ kind: 'progress', progress }),
        checkpoint: (checkpoint) => post({ kind: 'checkpoint', checkpoint }),
      }),
    )
    .then(
    ({ value, transfer }) => post({ kind: 'result', value }, transfer),
    (error: unknown) => post({ kind: 'error', error: threadErrorShape(error) }),
  );
}
