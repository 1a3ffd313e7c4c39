import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ArgumentsHost } from '@nestjs/common';
import { ErrorFilter, type ErrorBody } from '../../api/common/errorFilter';
import { JsonLogger } from '../../api/common/jsonLogger';
import { InvalidParamsError } from '../../contract';
import { DataFormatError, PreprocessError } from '../../ml/data/errors';
import { FeatureMismatchError, ModelFormatError } from '../../ml/models/errors';
import { ArtifactNotFoundError, InvalidArtifactKeyError } from '../../storage/artifactStore';
import { PointerContentionError } from '../../storage/modelRegistry';

/** What the filter answers for an error, and the lines it logged. */
function answer(error: unknown): { status: number; body: ErrorBody; logged: string[] } {
  const logged: string[] = [];
  const filter = new ErrorFilter(new JsonLogger((line) => logged.push(line)));
  const sent: { status?: number; body?: ErrorBody } = {};
  const res = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: ErrorBody) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ path: '/models/iris/predict' }), getResponse: () => res }) } as unknown as ArgumentsHost;
  filter.catch(error, host);
  return { status: sent.status!, body: sent.body!, logged };
}

describe('API error filter: our errors answered by failure type', () => {
  for (const [error, status, code] of [
    [new PreprocessError('column "petal_width" is missing', 'petal_width'), 400, 'invalid_rows'],
    [new DataFormatError('not a number', { column: 'x' }), 400, 'invalid_rows'],
    [new FeatureMismatchError('feature "x" missing'), 400, 'invalid_rows'],
    [new ArtifactNotFoundError('models/iris/3/model.json'), 404, 'artifact_not_found'],
    [new InvalidArtifactKeyError('../x'), 400, 'invalid_artifact_path'],
  ] as const) {
    test(`${error.failureType} is a ${status} ${code} carrying its message`, () => {
      const { status: got, body, logged } = answer(error);
      assert.equal(got, status);
      assert.equal(body.error.code, code);
      assert.equal(body.error.message, error.message);
      assert.deepEqual(logged, []);
    });
  }

  test('InvalidParams is a 400 naming each bad field', () => {
    const { status, body } = answer(new InvalidParamsError([{ field: 'model.type', message: 'invalid option' }]));
    assert.equal(status, 400);
    assert.equal(body.error.code, 'validation_failed');
    assert.equal(body.error.message, 'invalid request: model.type: invalid option');
    assert.deepEqual(body.error.details, [{ field: 'model.type', message: 'invalid option' }]);
  });

  for (const error of [new ModelFormatError('unknown model kind'), new PointerContentionError('iris')]) {
    test(`${error.failureType}, which no request causes, is a logged 500 that does not leak its message`, () => {
      const { status, body, logged } = answer(error);
      assert.equal(status, 500);
      assert.deepEqual({ code: body.error.code, message: body.error.message }, { code: 'internal_error', message: 'internal error' });
      assert.equal(logged.length, 1);
      assert.match(logged[0], new RegExp(error.name));
    });
  }
});
