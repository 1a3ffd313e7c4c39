import { type Client } from '@temporalio/client';
import { FakeSchedules } from './fakeSchedules';
import { FakeWorkflows } from './fakeWorkflows';

/**
 * A Temporal server in memory, for fast tests of the API's own logic (guards, pipes, the error
 * filter, views): it implements only the client calls the API's services make, with the SDK's
 * shapes and error classes. What Temporal itself does is tested against a real server (test/e2e).
 */
export class FakeTemporal {
  readonly workflows = new FakeWorkflows();
  readonly schedules = new FakeSchedules(this.workflows);
  readonly namespace = 'default';
  /** Set to make the readiness probe's call fail as an unreachable server does. */
  unreachable?: Error;

  get client(): Client {
    const fake = {
      options: { namespace: this.namespace },
      connection: { withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() },
      workflow: {
        start: (type: string, options: Parameters<FakeWorkflows['start']>[1]) => Promise.resolve().then(() => this.workflows.start(type, options)),
        getHandle: (workflowId: string, runId?: string) => this.workflows.handle(workflowId, runId),
      },
      workflowService: {
        listWorkflowExecutions: (request: Parameters<FakeWorkflows['listWorkflowExecutions']>[0]) => this.workflows.listWorkflowExecutions(request),
        getSystemInfo: () => (this.unreachable ? Promise.reject(this.unreachable) : Promise.resolve({ serverVersion: 'fake' })),
      },
      schedule: {
        create: (options: Parameters<FakeSchedules['create']>[0]) => this.schedules.create(options),
        getHandle: (scheduleId: string) => this.schedules.getHandle(scheduleId),
        list: () => this.schedules.list(),
      },
    };
    // The API's services call only the members above; the cast is the one place this is assumed.
    return fake as unknown as Client;
  }
}
