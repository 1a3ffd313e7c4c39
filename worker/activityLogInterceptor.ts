import { type Context } from '@temporalio/activity';
import { type ActivityInterceptors } from '@temporalio/worker';
import { stepOfActivity } from '../contract';

/**
 * Adds the pipeline step to every activity log line. The SDK's own attributes already carry
 * workflowId, workflowRunId, activityType and attempt; the step is what a person filters on, and it
 * is the same for both sensor modes.
 */
export function activityLogInterceptor(ctx: Context): ActivityInterceptors {
  const step = stepOfActivity(ctx.info.activityType);
  return {
    outbound: {
      getLogAttributes: (attributes, next) => next({ ...attributes, step }),
    },
  };
}
