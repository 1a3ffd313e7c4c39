import { extname, join } from 'node:path';
import Piscina from 'piscina';
import { errorFromThread } from '../../contract';
import { type PredictAnswer, type PredictOutput, type PredictTask } from './predictThread';

/** The thread entry beside this file: `.js` when compiled (dist/), `.ts` under tsx (whose loader the threads inherit by execArgv). */
const THREAD_FILE = join(__dirname, `predictThread${extname(__filename)}`);

/**
 * Predictions run on a piscina pool, never on the API's event loop: a 10,000-row request through a
 * large forest is tens of milliseconds of CPU that every other request would wait behind. Unlike
 * the workers' compute steps (a thread per attempt, terminated to cancel), requests are short and
 * many, so long-lived threads that keep decoded models pay off here.
 */
export class PredictionPool {
  private readonly pool: Piscina<PredictTask, PredictAnswer>;

  constructor(threads: number) {
    this.pool = new Piscina({ filename: THREAD_FILE, minThreads: 1, maxThreads: threads, idleTimeout: 60_000, execArgv: process.execArgv });
  }

  async predict(task: PredictTask): Promise<PredictOutput> {
    const answer = await this.pool.run(task);
    if (!answer.ok) throw errorFromThread(answer.error);
    const { ok: _ok, ...output } = answer;
    return output;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
