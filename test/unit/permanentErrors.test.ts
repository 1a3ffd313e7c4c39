import assert from 'node:assert/strict';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MAX_RESULT_BYTES, runStep } from '../../activities/failures';
import { FAILURE_TYPES } from '../../contract';

/** Real errors of the kinds a retry cannot cure: each must end the step at once, saying why. */
async function failureOf(body: () => Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await runStep(body);
  } catch (thrown) {
    assert.ok(thrown instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(thrown)}`);
    return thrown;
  }
  assert.fail('runStep did not throw');
}

const permanent = (failure: ApplicationFailure, message: RegExp) => {
  assert.equal(failure.type, FAILURE_TYPES.UnusableInputError);
  assert.equal(failure.nonRetryable, true);
  assert.match(failure.message, message);
};

describe('permanent system errors are bad input, not retried', () => {
  let dir: string;
  after(() => rm(dir, { recursive: true, force: true }));

  test('EISDIR: a source that is a directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'seca-errors-'));
    const failure = await failureOf(async () => {
      const handle = await open(dir, 'r');
      try {
        await handle.read(Buffer.alloc(16), 0, 16, 0);
      } finally {
        await handle.close();
      }
    });
    permanent(failure, /is a directory, not a file/);
  });

  test('ENAMETOOLONG: a file name longer than the file system allows', async () => {
    const failure = await failureOf(() => open(join(tmpdir(), 'x'.repeat(300)), 'r'));
    permanent(failure, /file name is too long/);
  });

  test('ENOTFOUND: a host that does not resolve, named in the message', async () => {
    const failure = await failureOf(() => lookup('no-such-host.invalid'));
    permanent(failure, /no-such-host\.invalid does not resolve/);
  });

  test('RangeError: a buffer over what one array can hold', async () => {
    const failure = await failureOf(() => Promise.resolve(new ArrayBuffer(2 ** 53)));
    permanent(failure, /too large to hold in memory/);
  });

  test('PayloadsTooLarge: a step result over the payload limit fails once, with its size', async () => {
    const failure = await failureOf(() => Promise.resolve({ columns: Array.from({ length: MAX_RESULT_BYTES / 8 }, (_, i) => `c${i}`) }));
    permanent(failure, /MiB, over the 1\.5 MiB Temporal payload limit \(PayloadsTooLarge\)/);
  });

  test('a RangeError of a logic bug is still retried (left to the SDK)', async () => {
    await assert.rejects(
      runStep(() => Promise.resolve((1).toFixed(200))),
      (e: unknown) => e instanceof RangeError,
    );
  });
});
