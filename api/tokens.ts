/** Injection tokens: esbuild (tsx) emits no decorator metadata, so every dependency is injected by token. */
export const API_CONFIG = Symbol('API_CONFIG');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');
export const METRICS = Symbol('METRICS');
export const JSON_LOGGER = Symbol('JSON_LOGGER');
/** The MLflow client, or null without MLFLOW_TRACKING_URI. */
export const MLFLOW_CLIENT = Symbol('MLFLOW_CLIENT');
