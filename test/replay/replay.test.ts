import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';

const DIR = join(__dirname, 'histories');

/** Determinism guard: today's workflow code must replay the committed histories of earlier runs. */
describe('replay of committed histories', async () => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
  test('there are histories to replay', () => assert.ok(files.length >= 3, files.join(', ')));
  for (const file of files) {
    test(`replays ${file}`, async () => {
      const history = historyFromJSON(JSON.parse(await readFile(join(DIR, file), 'utf8')));
      await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, history, file);
    });
  }
});
