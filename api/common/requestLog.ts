import { type NextFunction, type Request, type Response } from 'express';
import { type ApiMetrics } from '../ops/apiMetrics';
import { type JsonLogger } from './jsonLogger';
import { requestIdOf } from './requestId';

/** One structured log line and one duration sample per request, labelled by route pattern (not raw path). */
export function requestLog(logger: JsonLogger, metrics: ApiMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.requestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      const workflowId = (res.locals.workflowId as string | undefined) ?? (req.params as Record<string, string | undefined>)?.id;
      logger.info('request', {
        requestId: requestIdOf(req),
        method: req.method,
        path: req.originalUrl.split('?')[0],
        route,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e4) / 10,
        ...(workflowId ? { workflowId } : {}),
      });
    });
    next();
  };
}
