import { type NextFunction, type Request, type Response } from 'express';
import { requestIdOf } from './requestId';

/** Every method some route answers; OPTIONS and HEAD come with the framework. */
const SUPPORTED = new Set(['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS']);

/**
 * A method no route of this API answers (TRACE, PUT, PATCH, ...) is 405 with `Allow`, not a 404
 * that suggests the path does not exist; the body has the API's error shape.
 */
export function allowedMethods(req: Request, res: Response, next: NextFunction): void {
  if (SUPPORTED.has(req.method)) {
    next();
    return;
  }
  const message = `method ${req.method} is not supported`;
  res.status(405).setHeader('Allow', [...SUPPORTED].join(', '));
  res.json({ error: { status: 405, code: 'method_not_allowed', message, requestId: requestIdOf(req) } });
}
