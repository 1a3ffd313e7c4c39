import { benchApi } from './api';
import { benchIngest } from './ingest';
import { benchPipelineLatency } from './pipelineLatency';
import { installQuietRuntime } from '../worker/logging';
import { benchRandomForest } from './randomForest';

/** `npm run bench [pipeline|forest|ingest|api]`: prints one JSON document with every measurement. */
async function main(): Promise<void> {
  installQuietRuntime();
  const only = process.argv[2];
  const results: Record<string, unknown> = { node: process.version, cpus: (await import('node:os')).cpus().length };
  if (!only || only === 'pipeline') results.pipeline = await benchPipelineLatency();
  if (!only || only === 'forest') results.randomForest = await benchRandomForest();
  if (!only || only === 'ingest') results.ingest = await benchIngest();
  if (!only || only === 'api') results.api = await benchApi();
  console.log(JSON.stringify(results, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
