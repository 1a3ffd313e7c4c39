import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../contract';
import { registerSearchAttributes } from '../worker/searchAttributes';
import { withTemporalBinary } from '../tools/temporal';

export interface DevServerOptions {
  /** Persist to this SQLite file; in memory when omitted. */
  readonly dbFilename?: string;
  readonly port?: number;
  readonly uiPort?: number;
  readonly namespace?: string;
  /** The client's payload codecs: the same as the workers'. */
  readonly dataConverter?: DataConverter;
}

/** `temporal server start-dev` with our search attributes registered; stopped by `teardown()`. */
export async function startDevServer(options: DevServerOptions = {}): Promise<TestWorkflowEnvironment> {
  if (options.dbFilename) await mkdir(dirname(options.dbFilename), { recursive: true });
  return withTemporalBinary('cli', (executable) =>
    TestWorkflowEnvironment.createLocal({
      client: { dataConverter: options.dataConverter },
      server: {
        executable,
        ip: '127.0.0.1',
        port: options.port,
        ui: options.uiPort !== undefined,
        uiPort: options.uiPort,
        dbFilename: options.dbFilename,
        namespace: options.namespace,
        searchAttributes: Object.values(SEARCH_ATTRIBUTES),
        log: { format: 'json', level: 'error' },
        // Eager activity dispatch hands a light step to the worker in the workflow task's reply, saving a poll per step;
        // eager workflow start hands the first workflow task back in the start's answer, to a client sharing a worker's connection.
        extraArgs: ['--dynamic-config-value', 'system.enableActivityEagerExecution=true', '--dynamic-config-value', 'system.enableEagerWorkflowStart=true', '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1', '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1'],
      },
    }),
  );
}

/** The Java time-skipping test server, for workflow tests. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const env = await withTemporalBinary('testServer', (executable) => TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }));
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}
