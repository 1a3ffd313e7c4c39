import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes; the dev server registers them at start (see launch/devServer.ts). */
export const SEARCH_ATTRIBUTES = {
  pipeline: defineSearchAttributeKey('MlPipeline', SearchAttributeType.KEYWORD),
  modelType: defineSearchAttributeKey('MlModelType', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('MlStage', SearchAttributeType.KEYWORD),
  primaryMetric: defineSearchAttributeKey('MlPrimaryMetric', SearchAttributeType.DOUBLE),
} as const;

/** `Name=Type` pairs as `temporal server start-dev --search-attribute` takes them. */
export const SEARCH_ATTRIBUTE_FLAGS: readonly string[] = Object.values(SEARCH_ATTRIBUTES).map(
  (key) => `${key.name}=${key.type === SearchAttributeType.DOUBLE ? 'Double' : 'Keyword'}`,
);
