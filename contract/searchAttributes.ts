import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes; the dev server registers them at start (see launch/devServer.ts). */
export const SEARCH_ATTRIBUTES = {
  pipeline: defineSearchAttributeKey('MlPipeline', SearchAttributeType.KEYWORD),
  modelType: defineSearchAttributeKey('MlModelType', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('MlStage', SearchAttributeType.KEYWORD),
  primaryMetric: defineSearchAttributeKey('MlPrimaryMetric', SearchAttributeType.DOUBLE),
  /** `training` (mlPipeline) or `inference` (mlInference); runs recorded before it have none. */
  kind: defineSearchAttributeKey('MlKind', SearchAttributeType.KEYWORD),
} as const;

/** `Name=Type` pairs as `temporal server start-dev --search-attribute` takes them. */
export const SEARCH_ATTRIBUTE_FLAGS: readonly string[] = Object.values(SEARCH_ATTRIBUTES).map(
  (key) => `${key.name}=${key.type === SearchAttributeType.DOUBLE ? 'Double' : 'Keyword'}`,
);

export const RUN_KINDS = ['training', 'inference'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
