import assert from 'node:assert/strict';
import { type Info } from '@temporalio/activity';
import { ApplicationFailure, type LogLevel, type LogMetadata, type Logger } from '@temporalio/common';
import { type Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type PipelineActivities } from '../../activities';
import { type FailureType, type RunRef } from '../../contract';
import { createSandbox, testDeps, type Sandbox } from './fixtures';

/** One log line an activity (or the SDK around it) wrote. */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly meta?: LogMetadata;
}

/** A logger that records instead of printing, so tests stay quiet and can assert on warnings. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.entries.push({ level, message, meta });
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/** A Temporal activity context (no client, no server) that records heartbeats and log lines. */
export interface ActivityHarness {
  readonly env: MockActivityEnvironment;
  /** `env.run` with the activity's own argument and result types. */
  readonly call: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) => Promise<R>;
  readonly heartbeats: unknown[];
  readonly logger: RecordingLogger;
}

/** `client` stands in for the worker's Temporal client (absent by default, as in MockActivityEnvironment). */
export function activityEnv(info: Partial<Info> = {}, client?: Client): ActivityHarness {
  const logger = new RecordingLogger();
  const env = new MockActivityEnvironment(info, { logger, client });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));
  const call = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> => env.run<A, R, typeof fn>(fn, ...args);
  return { env, call, heartbeats, logger };
}

/** The real activities over a scratch sandbox (a copy of examples/data and an empty artifact store). */
export interface ActivitySandbox {
  readonly sandbox: Sandbox;
  readonly activities: PipelineActivities;
}

export async function activitySandbox(overrides: Parameters<typeof testDeps>[1] = {}): Promise<ActivitySandbox> {
  const sandbox = await createSandbox();
  return { sandbox, activities: createActivities(testDeps(sandbox, overrides)) };
}

let runs = 0;
/** A fresh run reference per call, so tests never share an artifact folder by accident. */
export function newRun(pipeline = 'iris'): RunRef {
  runs += 1;
  return { pipeline, workflowId: `ml-${pipeline}`, runId: `run-${runs}` };
}

/** What a promise rejected with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the activity to fail, but it completed');
}

/** Asserts a failure Temporal will not retry, of the given type; returns it for further checks. */
export function assertNonRetryable(error: unknown, type: FailureType): ApplicationFailure {
  assert.ok(error instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(error)}`);
  assert.equal(error.type, type, `failure type (message: ${error.message})`);
  assert.equal(error.nonRetryable, true, `${type} must be non-retryable`);
  return error;
}

/** Asserts an error Temporal retries: a plain error, or an ApplicationFailure not marked non-retryable. */
export function assertRetryable(error: unknown): Error {
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  if (error instanceof ApplicationFailure) assert.notEqual(error.nonRetryable, true, `${error.type ?? 'failure'} must be retryable`);
  return error;
}
