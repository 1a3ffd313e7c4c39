import { type Context } from '@temporalio/activity';
import { type ActivityInterceptors } from '@temporalio/worker';
import { stepOfActivity } from '../contract';

/**
 * Adds the pipeline step to every activity log line. The SDK's own attributes already carry
 * workflowId, workflowRunId, activityId, activityType and attempt; the step is what a person filters
 * on, and it is the same for both sensor modes. The SDK's taskToken is left out: a few hundred
 * characters of base64 on every line, needed only to complete an activity asynchronously (no step
 * does), and the ids above already name the attempt.
 */
export function activityLogInterceptor(ctx: Context): ActivityInterceptors {
  const step = stepOfActivity(ctx.info.activityType);
  return {
    outbound: {
      getLogAttributes: ({ taskToken: _taskToken, ...attributes }, next) => next({ ...attributes, step }),
    },
  };
}
