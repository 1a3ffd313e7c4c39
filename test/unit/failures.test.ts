import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { runStep } from '../../activities/failures';
import { decodeModelArtifact, ModelArtifactError } from '../../storage/modelArtifact';
import { InvalidArtifactKeyError, ArtifactNotFoundError } from '../../storage/artifactStore';
import { PathOutsideDataRootError, SourceNotFoundError } from '../../activities/adapters/dataRoot';
import { HttpSourceError } from '../../activities/adapters/httpSource';
import { ModelVersionConflictError } from '../../storage/modelRegistry';
import { WebhookDeliveryError } from '../../activities/adapters/notifier';
import { DataFormatError, FormatMismatchError, PreprocessError, UnsupportedFormatError } from '../../ml/data/errors';
import {
  FeatureMismatchError,
  ModelFormatError,
  SingularMatrixError,
  TaskMismatchError,
  TooFewClassesError,
  TrainingDataError,
} from '../../ml/models/errors';

async function failureOf(error: unknown): Promise<unknown> {
  try {
    // Also non-Error values: a step body may throw anything.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    await runStep(() => Promise.reject(error));
  } catch (thrown) {
    return thrown;
  }
  assert.fail('runStep did not throw');
}

/** Every error the data, model and artifact code throws for input that a retry cannot fix. */
const BAD_INPUT_ERRORS: Error[] = [
  new DataFormatError('bad quote', { file: 'x.csv', line: 3 }),
  new UnsupportedFormatError('x.parquet', ['csv', 'json']),
  new FormatMismatchError('x.csv', 'json', 'csv'),
  new PreprocessError('no column "y"', 'y'),
  new TrainingDataError('no rows'),
  new TaskMismatchError('classes given to a regressor'),
  new TooFewClassesError('only one class'),
  new SingularMatrixError('singular'),
  new FeatureMismatchError('feature "x" missing'),
  new ModelFormatError('unknown model kind'),
  new ModelArtifactError('unsupported model artifact format'),
  new PathOutsideDataRootError('../etc/passwd'),
  new SourceNotFoundError('missing.csv'),
  new InvalidArtifactKeyError('../x'),
  new ModelVersionConflictError('iris', '3'),
  new HttpSourceError('GET /x answered 404', false, 404),
  new WebhookDeliveryError('http://hook', 'answered 400', false),
];

describe('runStep', () => {
  test('returns the value of a step that succeeds', async () => {
    assert.deepEqual(await runStep(() => Promise.resolve({ rows: 3 })), { rows: 3 });
  });

  test('the error classes have the names runStep matches on', () => {
    // Subclasses set their own name; runStep matches names exactly, so each must be listed.
    assert.deepEqual(
      BAD_INPUT_ERRORS.map((e) => e.name),
      [
        'DataFormatError',
        'UnsupportedFormatError',
        'FormatMismatchError',
        'PreprocessError',
        'TrainingDataError',
        'TaskMismatchError',
        'TooFewClassesError',
        'SingularMatrixError',
        'FeatureMismatchError',
        'ModelFormatError',
        'ModelArtifactError',
        'PathOutsideDataRootError',
        'SourceNotFoundError',
        'InvalidArtifactKeyError',
        'ModelVersionConflictError',
        'HttpSourceError',
        'WebhookDeliveryError',
      ],
    );
  });

  for (const error of BAD_INPUT_ERRORS) {
    test(`${error.name} becomes a non-retryable ApplicationFailure of type ${error.name}`, async () => {
      const thrown = await failureOf(error);
      assert.ok(thrown instanceof ApplicationFailure, `${error.name} passed through as ${String(thrown)}`);
      assert.equal(thrown.nonRetryable, true);
      assert.equal(thrown.type, error.name);
      assert.equal(thrown.message, error.message);
      assert.equal(thrown.cause, error);
    });
  }

  test('an error thrown by real code for a bad model artifact is non-retryable', async () => {
    const thrown = await failureOf(captured(() => decodeModelArtifact(Buffer.from('{"format":"other/9"}'))));
    assert.ok(thrown instanceof ApplicationFailure);
    assert.equal(thrown.type, 'ModelArtifactError');
    assert.equal(thrown.nonRetryable, true);
  });

  test('a synchronous throw inside an async body is handled the same way', async () => {
    await assert.rejects(
      runStep(async () => {
        await Promise.resolve();
        throw new TrainingDataError('empty');
      }),
      (e: unknown) => e instanceof ApplicationFailure && e.nonRetryable && e.type === 'TrainingDataError',
    );
  });

  for (const error of [
    new Error('disk full'),
    new TypeError('undefined is not a function'),
    new HttpSourceError('GET /x answered 503', true, 503),
    new WebhookDeliveryError('http://hook', 'answered 500', true),
    new ArtifactNotFoundError('runs/x/model.json'),
  ]) {
    test(`${error.name} (${error.message}) passes through unchanged, so it is retried`, async () => {
      assert.equal(await failureOf(error), error);
    });
  }

  test('an ApplicationFailure passes through unchanged, retryable or not', async () => {
    const retryable = ApplicationFailure.retryable('try again', 'Flaky');
    const fatal = ApplicationFailure.nonRetryable('stop', 'Fatal');
    assert.equal(await failureOf(retryable), retryable);
    assert.equal(await failureOf(fatal), fatal);
    assert.equal(retryable.nonRetryable, false);
  });

  test('non-Error throws pass through unchanged', async () => {
    assert.equal(await failureOf('a string'), 'a string');
  });
});

function captured(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
