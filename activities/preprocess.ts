import { runKey } from '../contract';
import { decodeTable, encodeSplit } from '../ml/data/codec';
import { applyTransform, classOfRow, encodeTargets, fitTransform, selectTargets, trainTestSplit } from '../ml/preprocess';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { type PreprocessInput, type PreprocessResult } from './types';

export function createPreprocessActivities(deps: ActivityDeps) {
  /**
   * Splits the rows (seeded, stratified for classifiers), fits the transforms on the training rows
   * only, and stores both transformed splits and the fitted transform.
   */
  async function preprocess(input: PreprocessInput): Promise<PreprocessResult> {
    return runStep(async () => {
      const table = decodeTable(await deps.store.get(input.table.key));
      const encoded = encodeTargets(table, input.target, input.task);
      const { train, test } = trainTestSplit(encoded.rows, input.split, input.split.stratify ? classOfRow(encoded) : undefined);
      const features = input.features ?? table.columns.map((c) => c.name).filter((name) => name !== input.target);
      const transform = fitTransform(table, features, input.preprocessing, train);
      const put = async (name: string, rows: Int32Array) =>
        deps.store.put(
          runKey(input.run, 'preprocessed', name),
          encodeSplit({ x: applyTransform(transform, table, rows), targets: selectTargets(encoded, rows), featureNames: transform.featureNames }),
        );
      const classes = encoded.targets.task === 'classification' ? [...encoded.targets.classes] : undefined;
      return {
        train: await put('train.bin', train),
        test: await put('test.bin', test),
        transform: await deps.store.put(runKey(input.run, 'preprocessed', 'transform.json'), JSON.stringify(transform, null, 2), 'application/json'),
        trainRows: train.length,
        testRows: test.length,
        droppedRows: table.rowCount - encoded.rows.length,
        featureCount: transform.featureNames.length,
        classes,
      };
    });
  }

  return { preprocess };
}
