import { defineQuery, defineSignal } from '@temporalio/workflow';
import { type PipelineStatus, type StepProgressUpdate } from './status';

export const statusQuery = defineQuery<PipelineStatus>('status');

export interface ApprovalInput {
  readonly by?: string;
  readonly comment?: string;
}
export const approveDeploySignal = defineSignal<[ApprovalInput?]>('approveDeploy');
export const rejectDeploySignal = defineSignal<[ApprovalInput?]>('rejectDeploy');

/** Sent by long or retried activities so the `status` query shows their progress and attempt. */
export const stepProgressSignal = defineSignal<[StepProgressUpdate]>('stepProgress');
