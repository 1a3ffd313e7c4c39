import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Response } from 'express';
import { type Observable, tap } from 'rxjs';

/** Puts the workflow id a handler returned (e.g. of a run it started) where the request log finds it. */
@Injectable()
export class WorkflowIdInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap((body: unknown) => {
        const id = (body as { workflowId?: unknown } | null)?.workflowId;
        if (typeof id === 'string') res.locals.workflowId = id;
      }),
    );
  }
}
