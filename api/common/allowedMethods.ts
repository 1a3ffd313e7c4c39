import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { requestIdOf } from './requestId';

/** Paths as the OpenAPI document lists them (`/runs/{id}`), each with the methods it serves. */
export type RouteTable = Record<string, readonly string[]>;

interface Route {
  readonly pattern: RegExp;
  readonly allow: string;
  readonly methods: ReadonlySet<string>;
}

/** `/runs/{id}/report` as a regex over a request path: a template segment is any one non-empty segment. */
function patternOf(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

function routesOf(table: RouteTable): Route[] {
  return Object.entries(table).map(([template, listed]) => {
    const methods = new Set(listed.map((m) => m.toUpperCase()));
    // HEAD comes with GET in Express; OPTIONS is answered by the framework on every path.
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return { pattern: patternOf(template), methods, allow: [...methods].join(', ') };
  });
}

/**
 * A method a path does not serve (TRACE anywhere, DELETE /runs, POST /healthz) is 405 with `Allow`,
 * not a 404 that suggests the path does not exist; the body has the API's error shape. The table
 * is the OpenAPI document's, so the documented methods and the answered ones cannot drift apart.
 */
export function allowedMethods(table: RouteTable): RequestHandler {
  const routes = routesOf(table);
  const anywhere = new Set(routes.flatMap((r) => [...r.methods]));
  return (req: Request, res: Response, next: NextFunction): void => {
    const matching = routes.filter((r) => r.pattern.test(req.path));
    const served = matching.length === 0 ? anywhere : new Set(matching.flatMap((r) => [...r.methods]));
    // An unknown path is the router's 404, unless no route at all serves the method (TRACE, PUT).
    if (served.has(req.method) || (matching.length === 0 && anywhere.has(req.method))) {
      next();
      return;
    }
    const allow = [...served].join(', ');
    const message = matching.length === 0 ? `method ${req.method} is not supported` : `method ${req.method} is not supported on ${req.path}`;
    res.status(405).setHeader('Allow', allow);
    res.json({ error: { status: 405, code: 'method_not_allowed', message, requestId: requestIdOf(req) } });
  };
}
