import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelSchema, type ModelSpec } from '../../contract/params';
import {
  FeatureMismatchError,
  loadModel,
  ModelFormatError,
  TaskMismatchError,
  TooFewClassesError,
  TrainingDataError,
  trainModel,
} from '../../ml/models';
import { type SerializedModel } from '../../ml/models/types';
import { classification, matrix, regression } from './ml-fixtures';

const spec = (type: ModelSpec['type'], hyperparameters: object = {}): ModelSpec => ModelSchema.parse({ type, hyperparameters });
const x = matrix([[0, 1], [1, 0], [2, 1], [3, 0]]);
const labels = classification([0, 0, 1, 1], ['lo', 'hi']);
const values = regression([1, 2, 3, 4]);

describe('trainModel', () => {
  test('trains every model type and each predicts its kind of value', async () => {
    for (const type of ['random_forest_classifier', 'logistic_regression'] as const) {
      const model = await trainModel(spec(type), x, labels);
      assert.equal(model.type, type);
      assert.ok(model.predict(x) instanceof Int32Array);
    }
    for (const type of ['random_forest_regressor', 'linear_regression'] as const) {
      const model = await trainModel(spec(type), x, values);
      assert.equal(model.type, type);
      assert.ok(model.predict(x) instanceof Float64Array);
    }
  });

  test('rejects targets of the other task', async () => {
    await assert.rejects(trainModel(spec('random_forest_classifier'), x, values), TaskMismatchError);
    await assert.rejects(trainModel(spec('logistic_regression'), x, values), TaskMismatchError);
    await assert.rejects(trainModel(spec('random_forest_regressor'), x, labels), TaskMismatchError);
    await assert.rejects(trainModel(spec('linear_regression'), x, labels), TaskMismatchError);
  });

  test('a classifier needs two classes present', async () => {
    await assert.rejects(trainModel(spec('random_forest_classifier'), x, classification([0, 0, 0, 0], ['only'])), TooFewClassesError);
    await assert.rejects(trainModel(spec('logistic_regression'), x, classification([1, 1, 1, 1], ['a', 'b'])), TooFewClassesError);
  });

  test('rejects empty, mismatched and non-finite data', async () => {
    const empty = { rows: 0, cols: 2, data: new Float64Array(0) };
    await assert.rejects(trainModel(spec('linear_regression'), empty, regression([])), TrainingDataError);
    await assert.rejects(trainModel(spec('random_forest_regressor'), x, regression([1, 2, 3])), TrainingDataError);
    await assert.rejects(trainModel(spec('random_forest_classifier'), matrix([[0], [NaN], [1], [2]]), labels), {
      name: 'TrainingDataError',
      message: /row 1 is NaN/,
    });
    await assert.rejects(trainModel(spec('linear_regression'), matrix([[0], [Infinity], [1], [2]]), values), TrainingDataError);
    await assert.rejects(trainModel(spec('logistic_regression'), x, classification([0, 1, 2, 1], ['a', 'b'])), TrainingDataError);
  });

  test('subclassed errors are TrainingDataErrors with their own name', async () => {
    const error = await trainModel(spec('linear_regression'), x, labels).catch((e: unknown) => e);
    assert.ok(error instanceof TrainingDataError);
    assert.equal(error.name, 'TaskMismatchError');
  });
});

describe('loadModel', () => {
  test('rejects unknown types and damaged state', async () => {
    assert.throws(() => loadModel({ type: 'svm' as ModelSpec['type'], featureCount: 2, state: {} }), ModelFormatError);
    const forest = (await trainModel(spec('random_forest_regressor', { nTrees: 2 }), x, values)).serialize();
    assert.throws(() => loadModel({ ...forest, state: { format: 'flat-trees-v1', trees: [] } }), ModelFormatError);
    const damaged = JSON.parse(JSON.stringify(forest)) as { state: { trees: { left: string }[] } };
    damaged.state.trees[0].left = Buffer.from(new Int32Array([0, 0, 0]).buffer).toString('base64');
    assert.throws(() => loadModel(damaged as unknown as SerializedModel), ModelFormatError);
    assert.throws(() => loadModel({ type: 'linear_regression', featureCount: 2, state: { coefficients: [1], intercept: 0 } }), ModelFormatError);
  });

  test('a restored model refuses rows with another feature count', async () => {
    const model = loadModel((await trainModel(spec('linear_regression'), x, values)).serialize());
    assert.throws(() => model.predict(matrix([[1, 2, 3]])), FeatureMismatchError);
  });
});
