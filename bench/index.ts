import { benchApi } from './api';
import { benchDeploy } from './deploy';
import { benchDrift } from './drift';
import { benchIngest } from './ingest';
import { benchInference } from './inference';
import { benchPeers } from './peers';
import { benchPipelineLatency } from './pipelineLatency';
import { benchThroughput, throughputOptions } from './throughput';
import { benchQuality } from './quality';
import { qualitySeeds } from './quality/seeds';
import { installQuietRuntime } from '../worker/logging';
import { benchRandomForest } from './randomForest';
import { benchReport } from './report';
import { benchScale, scaleOptions } from './scale';
import { benchEncodings } from './scale/encodings';
import { benchTuning } from './tuning';

/**
 * `npm run bench [pipeline|throughput|peers|forest|ingest|api|deploy|inference|encodings|scale|drift|quality|report|tuning]`: prints one JSON document with every measurement.
 * `pipeline` adds the throughput (`throughput` alone: `--seconds 60 --concurrency 16 --processes 1,2 --env KEY=VALUE`).
 * `quality --seeds 0,1,2` repeats the classification forests per seed.
 * `encodings`, `scale` and `tuning` run only when named (minutes to hours): `npm run bench -- scale --rows 300000`.
 */
async function main(): Promise<void> {
  installQuietRuntime();
  const only = process.argv[2];
  const results: Record<string, unknown> = { node: process.version, cpus: (await import('node:os')).cpus().length };
  if (!only || only === 'pipeline') results.pipeline = await benchPipelineLatency();
  if (!only || only === 'forest') results.randomForest = await benchRandomForest();
  if (!only || only === 'ingest') results.ingest = await benchIngest();
  if (!only || only === 'api') results.api = await benchApi();
  if (only === 'peers') results.peers = await benchPeers();
  if (only === 'deploy') results.deploy = await benchDeploy();
  if (only === 'inference') results.inference = await benchInference();
  if (only === 'quality') results.quality = await benchQuality(qualitySeeds(process.argv.slice(3)));
  if (only === 'report') results.report = await benchReport(process.argv[3] ? Number(process.argv[3]) : undefined);
  if (only === 'drift') results.drift = benchDrift(process.argv[3] ? Number(process.argv[3]) : undefined);
  if (only === 'encodings') results.encodings = await benchEncodings();
  if (only === 'pipeline' || only === 'throughput') results.throughput = await benchThroughput(throughputOptions(process.argv.slice(3)));
  if (only === 'scale') results.scale = await benchScale(scaleOptions(process.argv.slice(3)));
  if (only === 'tuning') results.tuning = await benchTuning({ sklearn: !process.argv.includes('--no-sklearn') });
  console.log(JSON.stringify(results, null, 2));
}

main().then(
  // Printed: nothing is left to wait for, whatever a bench's libraries still hold open.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
