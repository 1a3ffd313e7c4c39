export { applyTransform, applyTransformWithIssues, IssueTally, type IssueCounts, type RowIssues, type TransformIssues } from './apply';
export { binSplits, type BinnedSplits } from './compact';
export { fitTransform, type FitOptions } from './fit';
export { trainTestSplit, type TrainTest } from './split';
export { splitTable, type SplitTable } from './heldOut';
export { classOfRow, encodeTargets, missingTargetsWarning, selectTargets, type EncodedTargets } from './targets';
export {
  MISSING_CATEGORY,
  OTHER_CATEGORY,
  type CategoricalFeature,
  type DatetimeFeature,
  type FeatureTransform,
  type FittedTransform,
  type NumericFeature,
} from './transform';
export { batchProblems, type BatchProblem } from './compatibility';
export { planFeatures, inferRole, describeColumn, type ColumnSummary, type FeaturePlan } from './roles';
export { parseIsoDatetime, DATETIME_PARTS, type DatetimePart } from './datetime';
