import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { z } from 'zod';
import { ComputeThreadError } from '../../activities/compute/runInThread';
import { runStep, stepFailure } from '../../activities/failures';
import { BlockedAddressError, InvalidAllowListEntryError } from '../../activities/adapters/addressPolicy';
import { NotARegularFileError, PathOutsideDataRootError, SourceNotFoundError } from '../../activities/adapters/dataRoot';
import { HttpSourceError } from '../../activities/adapters/httpSource';
import { WebhookDeliveryError } from '../../activities/adapters/notifier';
import { EmailDeliveryError } from '../../activities/adapters/mailer';
import { MlflowError } from '../../mlflow';
import { S3SourceError } from '../../activities/adapters/s3Objects';
import { MarkerTimeUnknownError } from '../../activities/adapters/sources';
import { InvalidSecretError, SecretNotFoundError } from '../../activities/adapters/secrets';
import { UnusableInputError } from '../../activities/systemErrors';
import { ComputeTaskError, FAILURE_SPECS, FAILURE_TYPES, InvalidInputError, InvalidParamsError, PipelineError, type FailureType } from '../../contract';
import { ArchiveError, ColumnNotFoundError, DataFormatError, FormatMismatchError, InputLimitError, PreprocessError, UnsafeArchiveError, UnsupportedFormatError } from '../../ml/data/errors';
import { DriftInputError, ProfileFormatError } from '../../ml/drift/errors';
import { FeatureMismatchError, ModelFormatError, SingularMatrixError, TaskMismatchError, TooFewClassesError, TrainingDataError } from '../../ml/models/errors';
import { ArtifactNotFoundError, InvalidArtifactKeyError } from '../../storage/artifactStore';
import { ArtifactLockTimeoutError } from '../../storage/localArtifactStore';
import { decodeModelArtifact, ModelArtifactError } from '../../storage/modelArtifact';
import { ModelVersionConflictError, PointerContentionError } from '../../storage/modelRegistry';
import { InvalidS3UriError } from '../../storage/s3/uri';

const ROOT = resolve(__dirname, '../..');
/** The layers whose errors can end a step (see LAYERS in eslint.config.mjs). */
const ERROR_LAYERS = ['contract', 'ml', 'storage', 'mlflow', 'activities'];
/** Where failure types are raised or matched. */
const CODE_LAYERS = [...ERROR_LAYERS, 'workflows'];

/**
 * One instance of every error class; both answers of the classes whose retryability depends on
 * the case. The first test fails when a class has no example here.
 */
const EXAMPLES: PipelineError[] = [
  new InvalidInputError([{ field: 'rows.0.x', message: 'expected number' }]),
  new InvalidParamsError([{ field: 'model.type', message: 'invalid option' }]),
  new DataFormatError('bad quote', { file: 'x.csv', line: 3 }),
  new UnsupportedFormatError('x.bin', ['csv', 'json']),
  new FormatMismatchError('x.csv', 'json', 'csv'),
  new ArchiveError('x.zip', 'encrypted'),
  new UnsafeArchiveError('x.zip', '../evil.csv', 'leaves the folder'),
  new InputLimitError('x.zip', 'maxUncompressedBytes', 'expands to 10 GB'),
  new PreprocessError('no column "y"', 'y'),
  new ColumnNotFoundError('dataset.target: no column "species"; did you mean "Species"?', 'species'),
  new TrainingDataError('no rows'),
  new TaskMismatchError('classes given to a regressor'),
  new TooFewClassesError('only one class'),
  new SingularMatrixError('singular'),
  new ModelFormatError('unknown model kind'),
  new FeatureMismatchError('feature "x" missing'),
  new DriftInputError('the batch has no column petal_width', 'petal_width'),
  new ProfileFormatError('not a training profile'),
  new ModelArtifactError('unsupported model artifact format'),
  new InvalidArtifactKeyError('../x'),
  new ComputeTaskError({ name: 'TooFewClassesError', message: 'only one class', failure: { type: 'TooFewClassesError', retryable: false } }),
  new ComputeThreadError('compute thread for train exited (code 1) without an answer'),
  new InvalidS3UriError('s3://', 'no bucket'),
  new ModelVersionConflictError('iris', '3'),
  new ArtifactNotFoundError('runs/x/model.json'),
  new ArtifactLockTimeoutError('models/iris/production.json'),
  new PointerContentionError('iris'),
  new UnusableInputError('EISDIR', 'data/: is a directory'),
  new PathOutsideDataRootError('../etc/passwd'),
  new SourceNotFoundError('missing.csv'),
  new NotARegularFileError('pipe.csv', 'FIFO (named pipe)'),
  new BlockedAddressError('metadata.internal', '169.254.169.254'),
  new InvalidAllowListEntryError('10.0.0.0/99'),
  new MarkerTimeUnknownError('https://example.com/ready'),
  new SecretNotFoundError('secret://hook', ['file "hook" in SECRETS_DIR (/run/secrets/mlp)', 'environment variable MLP_SECRET_HOOK']),
  new InvalidSecretError('secret://hook', 'does not hold an http(s) URL, as a webhook must be'),
  new HttpSourceError('GET /x answered 404', false, 404),
  new HttpSourceError('GET /x answered 503', true, 503),
  new S3SourceError('no object at s3://b/k', false),
  new S3SourceError('s3://b/k answered without a body', true),
  new WebhookDeliveryError('http://hook', 'answered 400', false),
  new WebhookDeliveryError('http://hook', 'answered 500', true),
  new EmailDeliveryError('550 mailbox unavailable', false),
  new EmailDeliveryError('connect ECONNREFUSED 127.0.0.1:25', true),
  new MlflowError('MLflow POST runs/create answered 400', 'INVALID_PARAMETER_VALUE', { retryable: false }),
  new MlflowError('MLflow GET experiments/get-by-name: http://127.0.0.1:5000 unreachable', undefined, { retryable: true }),
];

/** A compute thread's entry runs its task when loaded, so it is read as text for error classes instead. */
const THREAD_ENTRIES = new Set([join(ROOT, 'activities/compute/thread.ts')]);

async function sourceFiles(layer: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, layer), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** Every exported class that extends Error, in every module of the layers, by its module and name. */
async function exportedErrorClasses(): Promise<Map<string, abstract new (...args: never[]) => Error>> {
  const found = new Map<string, abstract new (...args: never[]) => Error>();
  for (const layer of ERROR_LAYERS) {
    for (const file of await sourceFiles(layer)) {
      if (THREAD_ENTRIES.has(file)) {
        assert.doesNotMatch(await readFile(file, 'utf8'), /class \w+ extends/, `${relative(ROOT, file)} must not define error classes`);
        continue;
      }
      const exports = (await import(file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) {
        if (typeof value === 'function' && value.prototype instanceof Error) found.set(`${relative(ROOT, file)}: ${name}`, value as never);
      }
    }
  }
  return found;
}

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

const declaredRetryable = (error: PipelineError): boolean => {
  const declared = FAILURE_SPECS[error.failureType].retryable;
  return declared === 'per error' ? error.retryable : declared;
};

describe('the failure taxonomy (contract/failureTypes.ts)', () => {
  test('every error class in contract/, ml/, storage/, mlflow/ and activities/ is a PipelineError with an example here', async () => {
    const classes = await exportedErrorClasses();
    assert.ok(classes.size >= 30, `found only ${classes.size} error classes`);
    for (const [where, errorClass] of classes) {
      if ((errorClass as unknown) === PipelineError) continue;
      assert.ok(errorClass.prototype instanceof PipelineError, `${where} extends Error but not PipelineError: it has no failure type`);
      assert.ok(
        EXAMPLES.some((e) => e.constructor === errorClass),
        `${where} has no example in EXAMPLES, so nothing checks how it fails a step`,
      );
    }
  });

  test('every failure type is raised or matched by the code, spelled as FAILURE_TYPES.<type>', async () => {
    const used = new Set<string>();
    for (const layer of CODE_LAYERS) {
      for (const file of await sourceFiles(layer)) {
        for (const match of (await readFile(file, 'utf8')).matchAll(/FAILURE_TYPES\.(\w+)/g)) used.add(match[1]);
      }
    }
    for (const type of Object.keys(FAILURE_TYPES)) assert.ok(used.has(type), `${type} is in the taxonomy but nothing raises it`);
  });

  test('types that leave retrying to the case have an example of each answer', () => {
    for (const [type, spec] of Object.entries(FAILURE_SPECS)) {
      if (spec.retryable !== 'per error') continue;
      const answers = new Set(EXAMPLES.filter((e) => e.failureType === type).map((e) => e.retryable));
      assert.deepEqual([...answers].sort(), [false, true], type);
    }
  });

  for (const type of Object.keys(FAILURE_TYPES) as FailureType[]) {
    const spec = FAILURE_SPECS[type];
    test(`a ${type} failure is ${spec.retryable === false ? 'non-retryable' : 'retryable'}${spec.benign ? ' and benign' : ''}`, () => {
      const failure = stepFailure(type, 'why', { retryable: true });
      assert.equal(failure.type, type);
      assert.equal(failure.message, 'why');
      assert.equal(failure.nonRetryable, spec.retryable === false);
      assert.equal(failure.category, spec.benign ? ApplicationFailureCategory.BENIGN : undefined);
    });
  }

  for (const error of EXAMPLES) {
    const retry = declaredRetryable(error) ? 'retryable' : 'non-retryable';
    test(`${error.name} (${error.message}) fails a step as a ${retry} ${error.failureType}`, async () => {
      assert.equal(error.retryable, declaredRetryable(error), 'the error says what the taxonomy says');
      const thrown = await failureOf(error);
      assert.ok(thrown instanceof ApplicationFailure, `${error.name} passed through as ${String(thrown)}`);
      assert.equal(thrown.type, error.failureType);
      assert.equal(thrown.nonRetryable, !declaredRetryable(error));
      assert.equal(thrown.message, error.message);
      assert.equal(thrown.cause, error);
    });
  }
});

describe('runStep', () => {
  test('returns the value of a step that succeeds', async () => {
    assert.deepEqual(await runStep(() => Promise.resolve({ rows: 3 })), { rows: 3 });
  });

  test('an error thrown by real code for a bad model artifact is non-retryable', async () => {
    const thrown = await failureOf(captured(() => decodeModelArtifact(Buffer.from('{"format":"other/9"}'))));
    assert.ok(thrown instanceof ApplicationFailure);
    assert.equal(thrown.type, FAILURE_TYPES.ModelArtifactError);
    assert.equal(thrown.nonRetryable, true);
  });

  test('a synchronous throw inside an async body is handled the same way', async () => {
    await assert.rejects(
      runStep(async () => {
        await Promise.resolve();
        throw new TrainingDataError('empty');
      }),
      (e: unknown) => e instanceof ApplicationFailure && e.nonRetryable && e.type === FAILURE_TYPES.TrainingDataError,
    );
  });

  test("a zod error (a library's word for bad input) is a non-retryable InvalidInput naming the field", async () => {
    const zodError = captured(() => z.strictObject({ rows: z.array(z.object({ x: z.number() })) }).parse({ rows: [{ x: 'a' }] }));
    const thrown = await failureOf(zodError);
    assert.ok(thrown instanceof ApplicationFailure, String(thrown));
    assert.equal(thrown.type, FAILURE_TYPES.InvalidInput);
    assert.equal(thrown.nonRetryable, true);
    assert.match(thrown.message, /^invalid input: rows\.0\.x: /);
    assert.equal(thrown.cause, zodError);
  });

  for (const error of [new Error('disk full'), new TypeError('undefined is not a function')]) {
    test(`a ${error.name} not of ours (${error.message}) passes through unchanged, so it is retried`, async () => {
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
